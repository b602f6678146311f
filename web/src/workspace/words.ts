// Counts words the way the server does at submit: runs of non-whitespace.
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/u).length : 0;
}

export function wordStatus(text: string, limit: number): { words: number; over: boolean; label: string } {
  const words = countWords(text);
  const over = limit > 0 && words > limit;
  const label = limit > 0 ? `${words} of ${limit} words${over ? ` (${words - limit} over)` : ""}` : `${words} words`;
  return { words, over, label };
}
