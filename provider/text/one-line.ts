/**
 * Text for a CI log or a comment line: one line, control and line-separator characters turned into
 * spaces, runs of white space into one, and, when a limit is given, cut with "...".
 */

/** `text` on one line; at most `maxLength` characters when given. */
export function oneLine(text: string, maxLength?: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return maxLength !== undefined && flat.length > maxLength ? `${flat.slice(0, maxLength - 3)}...` : flat;
}
