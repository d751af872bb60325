// ws hands a frame over as a Buffer, an ArrayBuffer or fragments, depending on the socket's binaryType.
import { Buffer } from 'node:buffer';
import type { RawData } from 'ws';

export function rawDataToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
