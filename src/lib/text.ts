/**
 * The length of a text in characters (Unicode code points), as people and JSON Schema's
 * `maxLength` count them: "😀" is one character, though JavaScript's `.length` counts two.
 */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `max` characters (code points) of a text: never half of a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  if (charLength(text) <= max) return text;
  return Array.from(text).slice(0, max).join('');
}
