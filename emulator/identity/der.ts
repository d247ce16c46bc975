/**
 * A small DER (ASN.1 Distinguished Encoding Rules) encoder and reader: just the types an
 * X.509 certificate needs. node:crypto signs and parses certificates but cannot build one,
 * and the emulator takes no dependencies, so certificates are assembled here byte by byte.
 */

/** Universal tag numbers of the ASN.1 types used in certificates. */
const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Tag class bits of a context-specific tag; constructed adds 0x20. */
const CONTEXT_SPECIFIC = 0x80;
const CONSTRUCTED = 0x20;

/** One encoded element: tag, length and content. */
function element(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** Short form below 128 bytes, otherwise the long form with the fewest length octets (DER requires it). */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

/** SEQUENCE of already encoded elements. */
export function sequence(...elements: Buffer[]): Buffer {
  return element(TAG.sequence, Buffer.concat(elements));
}

/** SET of already encoded elements (callers pass one element, so DER's sort order never matters). */
export function set(...elements: Buffer[]): Buffer {
  return element(TAG.set, Buffer.concat(elements));
}

/** INTEGER from an unsigned big-endian magnitude or a small non-negative number. */
export function integer(value: Buffer | number): Buffer {
  let magnitude = typeof value === "number" ? unsignedBytes(value) : value;
  // DER forbids redundant leading zeros, and a set top bit would make the value negative.
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0 && ((magnitude[start + 1] ?? 0) & 0x80) === 0) start += 1;
  magnitude = magnitude.subarray(start);
  if (magnitude.length === 0 || ((magnitude[0] ?? 0) & 0x80) !== 0) magnitude = Buffer.concat([Buffer.from([0]), magnitude]);
  return element(TAG.integer, magnitude);
}

function unsignedBytes(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`DER integer must be a non-negative safe integer, got ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes.length === 0 ? [0] : bytes);
}

/** BOOLEAN; DER writes TRUE as 0xff. */
export function boolean(value: boolean): Buffer {
  return element(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** NULL. */
export function nullValue(): Buffer {
  return element(TAG.null, Buffer.alloc(0));
}

/** OBJECT IDENTIFIER from dotted form, e.g. `2.5.4.3`. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split(".").map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`invalid object identifier ${dotted}`);
    return Number(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new RangeError(`object identifier ${dotted} needs at least two arcs`);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    // Base-128, most significant group first, continuation bit on all but the last.
    const groups: number[] = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) groups.unshift((high % 128) | 0x80);
    bytes.push(...groups);
  }
  return element(TAG.objectIdentifier, Buffer.from(bytes));
}

/** UTF8String. */
export function utf8String(value: string): Buffer {
  return element(TAG.utf8String, Buffer.from(value, "utf8"));
}

/** OCTET STRING. */
export function octetString(content: Buffer): Buffer {
  return element(TAG.octetString, content);
}

/** BIT STRING holding whole bytes (no unused bits), as keys and signatures are written. */
export function bitString(content: Buffer): Buffer {
  return element(TAG.bitString, Buffer.concat([Buffer.from([0]), content]));
}

/**
 * BIT STRING of named bits (bit 0 is the most significant bit of the first byte), with
 * trailing zero bits removed as DER requires, e.g. for keyUsage.
 */
export function namedBitString(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)] = (bytes[Math.floor(bit / 8)] ?? 0) | (0x80 >> bit % 8);
  const unusedBits = 7 - (highest % 8);
  return element(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * A certificate time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5),
 * to whole seconds in UTC.
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return date.getUTCFullYear() < 2050 ? element(TAG.utcTime, Buffer.from(digits.slice(2), "ascii")) : element(TAG.generalizedTime, Buffer.from(digits, "ascii"));
}

/** `[n] EXPLICIT`: a constructed context-specific wrapper around an encoded element. */
export function explicit(tagNumber: number, inner: Buffer): Buffer {
  return element(CONTEXT_SPECIFIC | CONSTRUCTED | tagNumber, inner);
}

/** `[n] IMPLICIT` primitive: the content of a primitive type under a context-specific tag (e.g. GeneralName's dNSName [2]). */
export function implicitPrimitive(tagNumber: number, content: Buffer): Buffer {
  return element(CONTEXT_SPECIFIC | tagNumber, content);
}

/** One element found by {@link readElement}. */
export interface DerElement {
  tag: number;
  /** The whole element, header included. */
  encoded: Buffer;
  /** The content octets. */
  content: Buffer;
}

/** Reads the element starting at `offset`; throws on truncated or indefinite-length input. */
export function readElement(input: Buffer, offset = 0): DerElement {
  const tag = input[offset];
  const first = input[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError("DER input is truncated");
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw new RangeError("DER length form not supported");
    length = 0;
    for (let index = 0; index < octets; index += 1) {
      const octet = input[offset + 2 + index];
      if (octet === undefined) throw new RangeError("DER input is truncated");
      length = length * 256 + octet;
    }
    header += octets;
  }
  const end = offset + header + length;
  if (end > input.length) throw new RangeError("DER input is truncated");
  return { tag, encoded: input.subarray(offset, end), content: input.subarray(offset + header, end) };
}

/** The elements directly inside a constructed element's content. */
export function readChildren(content: Buffer): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length; ) {
    const child = readElement(content, offset);
    children.push(child);
    offset += child.encoded.length;
  }
  return children;
}

/** The tag byte of `[n] EXPLICIT` (constructed context-specific), for recognising it when reading. */
export function explicitTag(tagNumber: number): number {
  return CONTEXT_SPECIFIC | CONSTRUCTED | tagNumber;
}

/** Dotted form of an encoded OBJECT IDENTIFIER's content octets. */
export function decodeObjectIdentifier(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join(".");
}

/** True when `element` is an OCTET STRING. */
export function isOctetString(candidate: DerElement): boolean {
  return candidate.tag === TAG.octetString;
}
