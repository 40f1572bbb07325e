-- tests/test_json.lua: luagrad.json, the JSON of run.json. Expected texts are
-- written by hand from RFC 8259; the round trips check that numbers keep
-- their Lua type and exact value.
local T = dofile("tests/check.lua")
local json = require("luagrad.json")

T.test("encode: scalars, with floats keeping a point and every digit", function()
  T.eq(json.encode(1), "1", "integer")
  T.eq(json.encode(-7), "-7", "negative integer")
  T.eq(json.encode(1.0), "1.0", "integral float")
  T.eq(json.encode(0.1), "0.1", "0.1")
  T.eq(json.encode(0.1 + 0.2), "0.30000000000000004", "0.1 + 0.2")
  T.eq(json.encode(1e300), "1e+300", "big float")
  T.eq(json.encode(-2.5e-8), "-2.5e-08", "small float")
  T.eq(json.encode(math.maxinteger), "9223372036854775807", "maxinteger")
  T.eq(json.encode(true), "true", "true")
  T.eq(json.encode(false), "false", "false")
  T.eq(json.encode(nil), "null", "nil")
  T.eq(json.encode(json.null), "null", "json.null")
end)

T.test("encode: inf and nan become strings", function()
  T.eq(json.encode(1 / 0), '"inf"', "inf")
  T.eq(json.encode(-1 / 0), '"-inf"', "-inf")
  T.eq(json.encode(0 / 0), '"nan"', "nan")
end)

T.test("encode: strings escape quotes, backslashes and control characters", function()
  T.eq(json.encode('a"b\\c'), '"a\\"b\\\\c"', "quote and backslash")
  T.eq(json.encode("\n\r\t\b\f"), '"\\n\\r\\t\\b\\f"', "short escapes")
  T.eq(json.encode("\0\1\31\127"), '"\\u0000\\u0001\\u001f\\u007f"', "other control characters")
  T.eq(json.encode("é/ü"), '"é/ü"', "UTF-8 and / copied")
end)

T.test("encode: objects with sorted keys, arrays, empty tables", function()
  T.eq(json.encode({ b = 1, a = { 1, 2 }, c = {} }, 0), '{"a":[1,2],"b":1,"c":{}}', "one line")
  T.eq(json.encode({ x = { y = true }, l = json.array() }),
    '{\n  "l": [],\n  "x": {\n    "y": true\n  }\n}', "indented")
  T.eq(json.encode({ 1, "a", false }, 0), '[1,"a",false]', "array")
end)

T.test("encode: what JSON cannot hold is an error naming where it is", function()
  T.raises(function() json.encode({ a = print }) end,
    "json.encode: value.a is a function, which JSON cannot hold")
  T.raises(function() json.encode({ 1, 2, [4] = 4 }) end,
    "json.encode: value has a key of type integer; object keys must be strings")
  local t = {}
  t.self = t
  T.raises(function() json.encode(t) end, "json.encode: value.self refers to itself (a cycle)")
end)

T.test("decode: scalars, with integers and floats told apart", function()
  T.eq(json.decode("12"), 12, "integer")
  T.eq(math.type(json.decode("12")), "integer", "integer type")
  T.eq(math.type(json.decode("12.0")), "float", "float type")
  T.eq(json.decode("-0.5e2"), -50.0, "exponent")
  T.eq(json.decode("1E-3"), 0.001, "capital E")
  T.eq(json.decode("12345678901234567890"), 1.2345678901234567e19, "too big for an integer")
  T.eq(json.decode(" true "), true, "true with spaces")
  T.eq(json.decode("false"), false, "false")
  T.eq(json.decode("null"), json.null, "null")
end)

T.test("decode: strings with every escape, \\u and surrogate pairs to UTF-8", function()
  T.eq(json.decode('"a\\"b\\\\c\\/d\\n\\t\\r\\b\\f"'), 'a"b\\c/d\n\t\r\b\f', "escapes")
  T.eq(json.decode('"\\u00e9\\u20ac"'), "é€", "BMP")
  T.eq(json.decode('"\\ud83d\\ude00"'), "\240\159\152\128", "a surrogate pair (U+1F600)")
end)

T.test("decode: objects and arrays, nested", function()
  local v = json.decode('{"a": [1, 2.5, "x", null, {"b": []}], "c": {}}')
  T.eq(v.a[1], 1, "a[1]")
  T.eq(v.a[2], 2.5, "a[2]")
  T.eq(v.a[3], "x", "a[3]")
  T.eq(v.a[4], json.null, "a[4]")
  T.eq(#v.a[5].b, 0, "empty array")
  T.eq(json.encode(v.a[5].b), "[]", "an empty array stays an array")
  T.eq(next(v.c), nil, "empty object")
end)

T.test("round trip keeps every value exactly", function()
  local t = { f = 0.1 + 0.2, i = 42, big = 2 ^ 60 + 0.0, tiny = 5e-324, s = "x\ny",
              l = { 1, 2.0, "3" }, b = false }
  local back = json.decode(json.encode(t))
  for k, v in pairs(t) do
    if type(v) ~= "table" then
      T.eq(back[k], v, k)
      T.eq(math.type(back[k]), math.type(v), "type of " .. k)
    end
  end
  T.eq(math.type(back.l[2]), "float", "2.0 stays a float")
end)

T.test("decode: bad text is an error with line and column", function()
  local cases = {
    { '{"a": 1,}', "json.decode: text:1:9: expected a key in quotes, got '}'" },
    { '{"a" 1}', "json.decode: text:1:6: expected ':' after a key, got '1'" },
    { "[1, 2", "json.decode: text:1:6: expected ',' or ']', got the end of the text" },
    { '"abc', "json.decode: text:1:1: unfinished string" },
    { '"a\nb"', "json.decode: text:1:3: a control character in a string" },
    { '"\\x"', "json.decode: text:1:2: bad escape '\\x' in a string" },
    { '"\\u12"', "json.decode: text:1:2: bad \\u escape" },
    { '"\\ud800"', "a high surrogate \\ud800 without its low half" },
    { "01", "json.decode: text:1:2: unexpected text after the value" },
    { "1.", "json.decode: text:1:1: bad number (no digit after '.')" },
    { "1e", "json.decode: text:1:1: bad number (no digit in the exponent)" },
    { "nul", "json.decode: text:1:1: unexpected 'n'" },
    { "", "json.decode: text:1:1: unexpected end of the text" },
    { '{\n  "a": tru\n}', "json.decode: text:2:8: unexpected 't'" },
    { "[1] 2", "unexpected text after the value" },
  }
  for _, c in ipairs(cases) do T.raises(function() json.decode(c[1]) end, c[2]) end
  T.raises(function() json.decode("{", "x/run.json") end, "json.decode: x/run.json:1:2:")
  T.raises(function() json.decode(5) end, "json.decode: expected a string, got number")
end)

T.done()
