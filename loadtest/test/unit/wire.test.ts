import { clientFrame, readFrames, tallyReader } from '../../src/wire';

/** A frame as a server sends it: unmasked. */
function serverFrame(text: string, op = 1): Buffer {
  const p = Buffer.from(text);
  const n = p.length;
  if (n < 126) return Buffer.concat([Buffer.from([0x80 | op, n]), p]);
  if (n < 65_536) return Buffer.concat([Buffer.from([0x80 | op, 126, n >> 8, n & 0xff]), p]);
  const head = Buffer.alloc(10);
  head[0] = 0x80 | op;
  head[1] = 127;
  head.writeBigUInt64BE(BigInt(n), 2);
  return Buffer.concat([head, p]);
}

describe('the bare Socket.IO client', () => {
  it('masks its frames with a zero key and sizes them in all three length forms', () => {
    for (const n of [1, 125, 126, 65_535, 65_536]) {
      const text = 'x'.repeat(n);
      const f = clientFrame(text);
      expect(f[0]).toBe(0x81);
      expect(f[1]! & 0x80).toBe(0x80); // masked, as RFC 6455 wants from a client
      const lenField = f[1]! & 0x7f;
      const off = lenField < 126 ? 2 : lenField === 126 ? 4 : 10;
      expect(f.subarray(off, off + 4)).toEqual(Buffer.alloc(4)); // the key
      expect(f.subarray(off + 4).toString()).toBe(text);
    }
  });

  it('splits a stream into frames across any cut, and keeps the incomplete rest', () => {
    const texts = ['2', '42["tally",{"ballots":3}]', 'y'.repeat(300), 'z'.repeat(70_000)];
    const stream = Buffer.concat([...texts.map((t) => serverFrame(t)), serverFrame('', 8)]);
    for (const cut of [1, 2, 3, 5, 200, 70_005]) {
      const seen: string[] = [];
      let closes = 0;
      let rest: Buffer = Buffer.alloc(0);
      for (let at = 0; at < stream.length; at += cut) {
        const chunk = stream.subarray(at, Math.min(stream.length, at + cut));
        rest = readFrames(
          rest.length ? Buffer.concat([rest, chunk]) : chunk,
          (p) => seen.push(p.toString()),
          () => closes++,
        );
      }
      expect(seen).toEqual(texts);
      expect(closes).toBe(1);
      expect(rest.length).toBe(0);
    }
  });

  it('reads the ballots of tally events, parses each distinct frame once, ignores other events', () => {
    const read = tallyReader();
    const parse = jest.spyOn(JSON, 'parse');
    const t1 = Buffer.from(
      '["tally",{"electionId":"e","version":4,"ballots":17,"positions":[{"id":"p","blank":2}]}]',
    );
    expect(read(t1)).toBe(17);
    expect(read(Buffer.from(t1))).toBe(17); // the same frame again, another viewer
    expect(parse).toHaveBeenCalledTimes(1);
    expect(read(Buffer.from('["tally",{"version":5,"ballots":18}]'))).toBe(18);
    expect(read(Buffer.from('["presence",{"ballots":99}]'))).toBeNull();
    expect(read(Buffer.from('["tally",{"version":6}]'))).toBeNull();
    parse.mockRestore();
  });
});
