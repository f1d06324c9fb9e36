-- Hand-written sample in the layout of Wikipedia's "Module:Syrian Civil War detailed map"
-- (revision style of September 2026: icon files + caption legend). Rows written for
-- desertgeo's tests from public facts (town positions; colours as the legend defines them).
return {
marks = {
{lat= 34.212, long= 38.8, mark= "Syria location map road overlay.svg", marksize= 2600}, -- road map
{lat= 33.513, long= 36.292, mark= "Map-dot-grey-68a.svg", marksize=20, label= "[[Damascus]]", label_size=0},
{lat= 35.329, long= 40.1302, mark= "Map-dot-grey-68a.svg", marksize=17, label= "[[Deir ez-Zor#Civil war|Deir ez-Zor]]", label_size=95},
{lat= 35.950, long= 39.010, mark= "Map-dot-grey-68a.svg", marksize=15, label= "[[Raqqa]]", label_size=0},
{lat= 37.050, long= 41.230, mark= "Dot_yellow_ff4.svg", marksize=12, label= "[[Qamishli]]", label_size=0},
{lat= 36.890, long= 38.350, mark= "Dot_yellow_ff4.svg", marksize=12, label= "[[Kobani]]", label_size=0},
{lat= 32.710, long= 36.570, mark= "Location dot lime.svg", marksize=12, label= "[[As-Suwayda]]", label_size=0},
{lat= 35.401, long= 35.949, mark= "Location dot red.svg", marksize=8, label= "[[Khmeimim Air Base]]", label_size=0},
-- {lat= 34.56, long= 38.28, mark= "Location dot black.svg", marksize=8, label= "[[commented out]]"},
{lat= 34.560, long= 38.280, mark= "80x80-grey-black-anim.gif", marksize=8, label= "[[Palmyra]]", label_size=0},
},
containerArgs = {
  'Syria',
  caption = [=[Hover for names.<br/>
[[File:Map-dot-grey-68a.svg|11px]] [[Second Syrian transitional government]] & [[Turkish Armed Forces]]; [[File:Location dot red.svg|11px]] [[Russian Armed Forces]] ; [[File:Dot_yellow_ff4.svg|11px]] [[Democratic Autonomous Administration of North and East Syria]] ([[Syrian Democratic Forces|SDF]]) ; [[File:Location dot black.svg|11px]] [[Islamic State of Iraq and the Levant]] (ISIL) ; [[File:Location dot lime.svg|11px]] [[:Category:Druze militant groups|Druze militias]]<br/>
[[File:80x80-grey-black-anim.gif|11px]] Contested
]=]
},
}
