/**
 * The grammar of CQL2 text (OGC 21-065r2, Annex A's BNF) for the classes /ogc declares —
 * basic CQL2, advanced comparison operators, spatial functions with WKT and BBOX literals —
 * as a Peggy (PEG) grammar. Function calls of any name parse too (S_WITHIN, T_AFTER, CASEI),
 * so the translator can name what it does not support instead of a syntax error. The parser
 * must consume the whole text: anything left over is an error, never silently dropped.
 *
 * The result is CQL2 JSON (`{"op", "args"}`, `{"property"}`, `{"timestamp"}`, `{"date"}`,
 * `{"bbox"}`, GeoJSON geometries), which cql2.ts turns into SQL.
 */
export const CQL2_TEXT_GRAMMAR = String.raw`
start = _ e:orExpr _ { return e; }

orExpr = head:andExpr tail:(_ OR _ @andExpr)* { return tail.length ? { op: 'or', args: [head, ...tail] } : head; }
andExpr = head:notExpr tail:(_ AND _ @notExpr)* { return tail.length ? { op: 'and', args: [head, ...tail] } : head; }
notExpr = NOT _ e:notExpr { return { op: 'not', args: [e] }; }
        / primary
primary = "(" _ e:orExpr _ ")" { return e; }
        / predicate

predicate
  = left:scalar _ NOT _ LIKE _ right:scalar { return { op: 'not', args: [{ op: 'like', args: [left, right] }] }; }
  / left:scalar _ LIKE _ right:scalar { return { op: 'like', args: [left, right] }; }
  / left:scalar _ NOT _ BETWEEN _ low:scalar _ AND _ high:scalar { return { op: 'not', args: [{ op: 'between', args: [left, low, high] }] }; }
  / left:scalar _ BETWEEN _ low:scalar _ AND _ high:scalar { return { op: 'between', args: [left, low, high] }; }
  / left:scalar _ NOT _ IN _ "(" _ list:scalarList _ ")" { return { op: 'not', args: [{ op: 'in', args: [left, list] }] }; }
  / left:scalar _ IN _ "(" _ list:scalarList _ ")" { return { op: 'in', args: [left, list] }; }
  / left:scalar _ IS _ NOT _ NULL { return { op: 'not', args: [{ op: 'isNull', args: [left] }] }; }
  / left:scalar _ IS _ NULL { return { op: 'isNull', args: [left] }; }
  / left:scalar _ op:comparison _ right:scalar { return { op, args: [left, right] }; }
  / call
  / boolean

comparison = "<>" / "<=" / ">=" / "=" / "<" / ">"

scalarList = head:scalar tail:(_ "," _ @scalar)* { return [head, ...tail]; }

scalar = timestamp / date / bbox / geometry / call / string / number / boolean / property

call = name:identifier _ "(" _ args:argumentList? _ ")" { return { op: name.toLowerCase(), args: args ?? [] }; }
argumentList = head:argument tail:(_ "," _ @argument)* { return [head, ...tail]; }
argument = interval / scalar
interval = "INTERVAL"i _ "(" _ a:scalar _ "," _ b:scalar _ ")" { return { interval: [a, b] }; }

timestamp = "TIMESTAMP"i _ "(" _ s:string _ ")" { return { timestamp: s }; }
date = "DATE"i _ "(" _ s:string _ ")" { return { date: s }; }
bbox = "BBOX"i _ "(" _ head:number tail:(_ "," _ @number)* _ ")" { return { bbox: [head, ...tail] }; }

geometry
  = "POINT"i _ p:pointText { return { type: 'Point', coordinates: p }; }
  / "LINESTRING"i _ l:lineText { return { type: 'LineString', coordinates: l }; }
  / "POLYGON"i _ p:polygonText { return { type: 'Polygon', coordinates: p }; }
  / "MULTIPOINT"i _ "(" _ head:multiPoint tail:(_ "," _ @multiPoint)* _ ")" { return { type: 'MultiPoint', coordinates: [head, ...tail] }; }
  / "MULTILINESTRING"i _ "(" _ head:lineText tail:(_ "," _ @lineText)* _ ")" { return { type: 'MultiLineString', coordinates: [head, ...tail] }; }
  / "MULTIPOLYGON"i _ "(" _ head:polygonText tail:(_ "," _ @polygonText)* _ ")" { return { type: 'MultiPolygon', coordinates: [head, ...tail] }; }
multiPoint = pointText / position
pointText = "(" _ p:position _ ")" { return p; }
lineText = "(" _ head:position tail:(_ "," _ @position)* _ ")" { return [head, ...tail]; }
polygonText = "(" _ head:lineText tail:(_ "," _ @lineText)* _ ")" { return [head, ...tail]; }
position = x:number __ y:number z:(__ @number)? { return z === null ? [x, y] : [x, y, z]; }

property = name:identifier { return { property: name }; }
         / '"' chars:$([^"]+) '"' { return { property: chars }; }

identifier = !(keyword !identChar) name:$([A-Za-z_\u0080-\uFFFF] identChar*) { return name; }
identChar = [A-Za-z0-9_.:\u0080-\uFFFF]
keyword = AND / OR / NOT / LIKE / BETWEEN / IN / IS / NULL / "TRUE"i / "FALSE"i

string = "'" chars:(@$[^'\\]+ / "''" { return "'"; } / "\\'" { return "'"; } / "\\" { return "\\"; })* "'" { return chars.join(''); }
number = text:$([+-]? ([0-9]+ ("." [0-9]*)? / "." [0-9]+) ([eE] [+-]? [0-9]+)?) { return Number(text); }
boolean = "TRUE"i !identChar { return true; } / "FALSE"i !identChar { return false; }

AND = "AND"i !identChar
OR = "OR"i !identChar
NOT = "NOT"i !identChar
LIKE = "LIKE"i !identChar
BETWEEN = "BETWEEN"i !identChar
IN = "IN"i !identChar
IS = "IS"i !identChar
NULL = "NULL"i !identChar

_ "space" = [ \t\r\n]*
__ "space" = [ \t\r\n]+
`;
