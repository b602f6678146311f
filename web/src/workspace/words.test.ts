import { countWords, wordStatus } from "./words";

describe("word counting", () => {
  it("counts runs of non-whitespace, across lines and tabs", () => {
    expect(countWords("")).toBe(0);
    expect(countWords("   \n\t ")).toBe(0);
    expect(countWords("Exit tickets\tshowed\nmisconceptions  early.")).toBe(5);
    expect(countWords("élèves ont répondu")).toBe(3);
  });
  it("says how far over the limit an answer is", () => {
    expect(wordStatus("one two three", 2)).toEqual({ words: 3, over: true, label: "3 of 2 words (1 over)" });
    expect(wordStatus("one two", 2).over).toBe(false);
    expect(wordStatus("one two", 0).label).toBe("2 words");
  });
});
