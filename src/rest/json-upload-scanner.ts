import { invalid, malformed } from './errors.js';

// Reads a JSON upload body ({"mediaType": ..., "data": "<base64>", ...}) as it arrives, without
// holding it: the members other than `data` are small and handed over parsed; the `data` string
// is decoded from base64 as it streams and handed over as bytes. Memory stays at a chunk or two
// whatever the size of the file (a whole-body JSON.parse held the body, its string, the base64
// string and the decoded bytes at once: several times the file per request).

/** Longest member name, and longest value of a member other than `data` (bytes of JSON). */
const NAME_MAX = 128;
const VALUE_MAX = 64 * 1024;
/** A data: URL's prefix ("data:<type>;base64,") is at most this long. */
const DATA_URL_PREFIX_MAX = 512;

export type ScannerEvents = {
  /** A member other than `data`, with its parsed value. */
  field(name: string, value: unknown): void;
  /** `data` starts; `name` as given. */
  dataStart(name: string): void;
  /** Decoded bytes of `data`, in order (the caller applies backpressure to what it writes them to). */
  dataChunk(bytes: Buffer): void;
  /** `data` ended; the content type of a data: URL, if it was one. */
  dataEnd(contentType: string | undefined): void;
};

enum S {
  Start,
  BeforeKey,
  Key,
  AfterKey,
  BeforeValue,
  Raw,
  Data,
  AfterValue,
  End,
}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonUploadScanner {
  private state = S.Start;
  private first = true;
  private parts: Buffer[] = [];
  private size = 0;
  private escaped = false;
  private name = '';
  // Raw (non-data) value: nesting and string state, to find where it ends.
  private depth = 0;
  private inString = false;
  private decoder: Base64Decoder | undefined;
  /** A JSON escape inside `data` split across chunks. */
  private pendingEscape = '';

  constructor(private readonly on: ScannerEvents) {}

  write(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case S.Data:
          i = this.data(chunk, i);
          break;
        case S.Key:
        case S.Raw:
          i = this.collect(chunk, i);
          break;
        default: {
          const b = chunk[i]!;
          if (this.state === S.BeforeValue && !isSpace(b) && this.name.toLowerCase() !== 'data') {
            if (b === 0x2c || b === 0x7d) throw unexpected(b);
            this.start(S.Raw); // read from this byte on
            break;
          }
          this.structural(b);
          i++;
        }
      }
    }
  }

  end(): void {
    if (this.state === S.Raw && this.depth === 0 && !this.inString) this.finishRaw(); // a bare scalar at the very end
    if (this.state !== S.End) {
      throw this.state === S.Start
        ? malformed('the body is empty; send a JSON object')
        : malformed('the body is not valid JSON: it ends before the object does');
    }
  }

  /** One byte outside names and values: braces, colons, commas and whitespace. */
  private structural(b: number): void {
    if (isSpace(b)) return;
    switch (this.state) {
      case S.Start:
        if (b !== 0x7b)
          throw malformed(
            'the JSON body must be an object, e.g. {"mediaType":"image","mediaUrl":"https://...","caption":"..."}',
          );
        this.state = S.BeforeKey;
        return;
      case S.BeforeKey:
        if (b === 0x7d && this.first) {
          this.state = S.End;
          return;
        }
        if (b !== QUOTE) throw unexpected(b);
        this.start(S.Key);
        return;
      case S.AfterKey:
        if (b !== 0x3a) throw unexpected(b);
        this.state = S.BeforeValue;
        return;
      case S.BeforeValue:
        if (this.name.toLowerCase() === 'data') {
          if (b !== QUOTE) throw invalid('data', 'must be a base64 string');
          this.on.dataStart(this.name);
          this.decoder = new Base64Decoder();
          this.state = S.Data;
          return;
        }
        throw unexpected(b); // write() starts raw values itself
      case S.AfterValue:
        if (b === 0x2c) {
          this.first = false;
          this.state = S.BeforeKey;
          return;
        }
        if (b === 0x7d) {
          this.state = S.End;
          return;
        }
        throw unexpected(b);
      case S.End:
        throw malformed('the body is not valid JSON: there is more after the object');
      default:
        throw unexpected(b);
    }
  }

  private start(state: S.Key | S.Raw): void {
    this.state = state;
    this.parts = [];
    this.size = 0;
    this.escaped = false;
    this.depth = 0;
    this.inString = false;
  }

  /** Tracks a raw value's strings and nesting; called for each of its bytes. */
  private rawByte(b: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return;
    }
    if (b === QUOTE) this.inString = true;
    else if (b === 0x7b || b === 0x5b) this.depth++;
    else if (b === 0x7d || b === 0x5d) this.depth--;
  }

  /** Bytes of a member name or a raw value, up to where it ends. */
  private collect(chunk: Buffer, from: number): number {
    let i = from;
    if (this.state === S.Key) {
      for (; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) break;
      }
      this.keep(chunk.subarray(from, i), NAME_MAX, () => malformed(`a member name is longer than ${NAME_MAX} bytes`));
      if (i < chunk.length) {
        this.name = parseJson(Buffer.concat(this.parts, this.size), true) as string;
        // A parameter without a name cannot be named in an error: the body is malformed.
        if (this.name === '') throw malformed('a member name is empty');
        this.state = S.AfterKey;
        return i + 1;
      }
      return i;
    }
    // A raw value ends at a comma or closing brace outside any string or nesting.
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (!this.inString && this.depth === 0 && (b === 0x2c || b === 0x7d || isSpace(b))) break;
      this.rawByte(b);
      if (this.depth < 0) throw malformed('the body is not valid JSON: unbalanced brackets');
    }
    this.keep(chunk.subarray(from, i), VALUE_MAX, () =>
      invalid(this.name.toLowerCase().slice(0, 64), `is longer than ${VALUE_MAX} bytes`),
    );
    if (i < chunk.length) {
      this.finishRaw();
      return i; // the delimiter is read as structure
    }
    return i;
  }

  private finishRaw(): void {
    const value = parseJson(Buffer.concat(this.parts, this.size), false);
    this.state = S.AfterValue;
    this.on.field(this.name, value);
  }

  private keep(bytes: Buffer, max: number, tooLong: () => Error): void {
    this.size += bytes.length;
    if (this.size > max) throw tooLong();
    if (bytes.length > 0) this.parts.push(Buffer.from(bytes));
  }

  /** The `data` string: runs up to the next quote or backslash go to the decoder unparsed. */
  private data(chunk: Buffer, from: number): number {
    const decoder = this.decoder!;
    let i = from;
    if (this.pendingEscape) {
      while (i < chunk.length && !escapeComplete(this.pendingEscape))
        this.pendingEscape += String.fromCharCode(chunk[i++]!);
      if (!escapeComplete(this.pendingEscape)) return i;
      this.emit(decoder.push(unescapeJson(this.pendingEscape)));
      this.pendingEscape = '';
    }
    while (i < chunk.length) {
      const quote = chunk.indexOf(QUOTE, i);
      const slash = chunk.indexOf(BACKSLASH, i);
      const stop = quote === -1 ? slash : slash === -1 ? quote : Math.min(quote, slash);
      const end = stop === -1 ? chunk.length : stop;
      if (end > i) this.emit(decoder.push(chunk.toString('latin1', i, end)));
      if (stop === -1) return chunk.length;
      if (stop === quote) {
        this.emit(decoder.end());
        this.on.dataEnd(decoder.contentType);
        this.decoder = undefined;
        this.state = S.AfterValue;
        return stop + 1;
      }
      // An escape: \/ and whitespace escapes are what JSON encoders put in base64.
      this.pendingEscape = '\\';
      i = stop + 1;
      while (i < chunk.length && !escapeComplete(this.pendingEscape))
        this.pendingEscape += String.fromCharCode(chunk[i++]!);
      if (!escapeComplete(this.pendingEscape)) return i;
      this.emit(decoder.push(unescapeJson(this.pendingEscape)));
      this.pendingEscape = '';
    }
    return i;
  }

  private emit(bytes: Buffer | undefined): void {
    if (bytes && bytes.length > 0) this.on.dataChunk(bytes);
  }
}

const escapeComplete = (e: string) => (e.length >= 2 && e[1] !== 'u') || e.length >= 6;

function unescapeJson(e: string): string {
  try {
    return JSON.parse(`"${e}"`) as string;
  } catch {
    throw invalid('data', 'is not valid base64');
  }
}

function unexpected(b: number): Error {
  const shown = b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16)}`;
  return malformed(`the body is not valid JSON: unexpected ${shown}`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(raw: Buffer, name: boolean): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw malformed('the body is not valid UTF-8 JSON');
  }
  try {
    return JSON.parse(name ? `"${text}"` : text);
  } catch (err) {
    throw malformed(
      `the body is not valid UTF-8 JSON${err instanceof SyntaxError ? `: ${err.message.slice(0, 200)}` : ''}`,
    );
  }
}

/**
 * Standard or URL-safe base64, whitespace ignored, optionally a data: URL, decoded as it comes:
 * whole groups of four characters are decoded at once, the rest waits for the next piece.
 */
export class Base64Decoder {
  contentType: string | undefined;
  private head: string | undefined = '';
  private pending = '';
  private padding = 0;
  private length = 0;

  push(text: string): Buffer | undefined {
    if (this.head !== undefined) {
      // Until it is clear whether this is a data: URL, the first characters wait.
      this.head += text;
      const lead = this.head.trimStart();
      if (lead.length < 5 && 'data:'.startsWith(lead.toLowerCase())) return undefined;
      if (lead.slice(0, 5).toLowerCase() === 'data:') {
        const comma = lead.indexOf(',');
        if (comma === -1) {
          if (lead.length > DATA_URL_PREFIX_MAX) throw invalid('data', 'is not valid base64');
          return undefined;
        }
        const prefix = /^data:([^;,]*)(?:;[^;,=]+=[^;,]*)*;base64,$/i.exec(lead.slice(0, comma + 1));
        if (!prefix) throw invalid('data', 'is not valid base64');
        this.contentType = prefix[1] || undefined;
        text = lead.slice(comma + 1);
      } else {
        text = this.head;
      }
      this.head = undefined;
    }
    return this.decode(text);
  }

  end(): Buffer {
    if (this.head !== undefined) {
      const lead = this.head.trim();
      this.head = undefined;
      if (lead.toLowerCase().startsWith('data:')) throw invalid('data', 'is not valid base64');
      this.decode(lead);
    }
    if (this.length === 0) throw invalid('data', 'is empty');
    if (this.length % 4 === 1) throw invalid('data', 'is not valid base64');
    const rest = Buffer.from(this.pending, 'base64');
    this.pending = '';
    return rest;
  }

  private decode(raw: string): Buffer | undefined {
    const text = raw.replace(/\s+/g, '');
    if (text.length === 0) return undefined;
    const pad = text.indexOf('=');
    const body = pad === -1 ? text : text.slice(0, pad);
    const tail = pad === -1 ? '' : text.slice(pad);
    if ((this.padding > 0 && body.length > 0) || !/^[A-Za-z0-9+/_-]*$/.test(body) || !/^=*$/.test(tail))
      throw invalid('data', 'is not valid base64');
    this.padding += tail.length;
    if (this.padding > 2) throw invalid('data', 'is not valid base64');
    this.length += text.length;
    this.pending += text;
    const whole = this.pending.length - (this.pending.length % 4);
    if (whole === 0) return undefined;
    const bytes = Buffer.from(this.pending.slice(0, whole), 'base64');
    this.pending = this.pending.slice(whole);
    return bytes;
  }
}
