// Strict base64 (§4.6: standard alphabet, padded, no `data:` prefix, no line breaks) of a Blob, without Node's Buffer.

/** btoa works on "binary strings"; chunks keep String.fromCharCode's argument list short (engines cap it
 *  near 64 Ki) and are a multiple of 3 bytes, so each chunk's base64 has no padding and they concatenate. */
const CHUNK = 3 * 8192;

export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await readBytes(blob));
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]));
  }
  return out;
}

/** Blob.arrayBuffer is everywhere we support; FileReader covers older WebViews that lack it. */
function readBytes(blob: Blob): Promise<ArrayBuffer> {
  if (typeof blob.arrayBuffer === 'function') return blob.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(blob);
  });
}
