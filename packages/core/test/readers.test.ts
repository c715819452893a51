import { describe, expect, it } from "vitest";
import { elapsedSeconds, NumberReader } from "../src/parse/numbers";
import { StampReader } from "../src/parse/timestamp";

describe("StampReader", () => {
  it.each([
    ["06/09/2022 20:00:05 text", "2022-06-09T20:00:05"],
    ["06/09/22 20:00:05 text", "2022-06-09T20:00:05"],
    ["09-06-2022 20:00:05 text", "2022-06-09T20:00:05"],
    ["2022-06-09 20:00:05 text", "2022-06-09T20:00:05"],
    ["09.06.2022 20.00.05 text", "2022-06-09T20:00:05"],
    ["2022.06.09   20:00:05   text", "2022-06-09T20:00:05"],
    ["06/09/2022 08:00:05 PM text", "2022-06-09T20:00:05"],
    ["06/09/2022 12:00:05 AM text", "2022-06-09T00:00:05"],
    ["06/09/2022 12:00:05 pm text", "2022-06-09T12:00:05"],
    ["06/09/2022 8:00:05 AM text", "2022-06-09T08:00:05"],
  ])("%s", (line, at) => {
    const reader = new StampReader();
    expect(reader.read(line)).toBe(true);
    expect(reader.at).toBe(at);
    expect(line.slice(reader.textStart)).toBe("text");
  });

  it.each([
    "13/09/2022 20:00:05 x",
    "06/09/2022 25:00:05 x",
    "06/09/2022 20:00 x",
    "06/09/2022",
    "Normal File--> x",
    "06/09/2022 13:00:05 PM x",
  ])("rejects %s", (line) => expect(new StampReader().read(line)).toBe(false));

  it("with a forced format, reads only that format", () => {
    const reader = new StampReader("DD.MM.YYYY");
    expect(reader.read("09.06.2022 20:00:05 x")).toBe(true);
    expect(reader.read("06/09/2022 20:00:05 x")).toBe(false);
  });
});

describe("NumberReader", () => {
  it.each([
    [1, "1,000.50 MB", 1000.5 * 1024 ** 2],
    [2, "1,000,50 KB", 1000.5 * 1024],
    [3, "1 000,50 GB", 1000.5 * 1024 ** 3],
    [4, "1 000.50 B", 1001],
    [5, "1.000,50 KB", 1000.5 * 1024],
    [6, "1'000,50 KB", 1000.5 * 1024],
  ] as const)("format %i reads %s", (format, text, bytes) => {
    expect(new NumberReader(format).bytes(text)).toBe(Math.round(bytes));
    expect(new NumberReader("auto").bytes(text)).toBe(Math.round(bytes));
  });

  it("reads counts the same in every format", () => {
    for (const text of ["214,391", "214.391", "214 391", "214'391", "214391"]) expect(new NumberReader().count(text)).toBe(214391);
    expect(new NumberReader().count("n/a")).toBeNull();
    expect(new NumberReader().count("1,,2")).toBeNull();
  });

  it("keeps the decimal mark it learned from the file", () => {
    const reader = new NumberReader("auto");
    expect(reader.decimal("52,47")).toBe(52.47);
    expect(reader.decimal("1.234,5")).toBe(1234.5);
  });

  it("reads elapsed times past 99 hours", () => {
    expect(elapsedSeconds("00:02:02")).toBe(122);
    expect(elapsedSeconds("123:00:01")).toBe(123 * 3600 + 1);
    expect(elapsedSeconds("00:61:00")).toBeNull();
  });
});
