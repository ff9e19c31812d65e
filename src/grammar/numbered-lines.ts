/** A line of a section with its 1-based number in the file. `\r` of CRLF files is dropped. */
export interface NumberedLine {
  text: string;
  line: number;
}

export function numberedLines(text: string, firstLine: number): NumberedLine[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ text: t.endsWith('\r') ? t.slice(0, -1) : t, line: firstLine + i }));
}
