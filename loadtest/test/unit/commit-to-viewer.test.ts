import { CommitToViewer } from '../../src/commit-to-viewer';

describe('commit-to-viewer latency', () => {
  it('measures each ballot from its ack to the first frame that counts it', () => {
    const c = new CommitToViewer();
    const v = c.addViewer();
    c.settle(0, [1000, 1010, 1020]);
    c.frame(v, 2, 1100); // ballots 1 and 2: 100 and 90 ms
    c.frame(v, 2, 1150); // nothing new
    c.frame(v, 3, 1200); // ballot 3: 180 ms
    expect(c.latency.summary()).toMatchObject({ p50: 100, max: 180, samples: 3 });
    expect(c.frames).toBe(3);
  });

  it('holds frames until the acks they cover are settled, then samples them', () => {
    const c = new CommitToViewer();
    const v = c.addViewer();
    c.frame(v, 2, 500); // the tally beat both acks
    expect(c.latency.count).toBe(0);
    c.settle(0, [520]);
    expect(c.latency.count).toBe(1);
    c.settle(1, [530]);
    expect(c.latency.summary()).toMatchObject({ p50: -30, max: -20, samples: 2 });
  });

  it('ignores a resent or out-of-order batch of acks', () => {
    const c = new CommitToViewer();
    c.settle(0, [1, 2]);
    c.settle(0, [1, 2]);
    c.settle(5, [9]);
    expect(c.settled).toBe(2);
  });

  it('counts the viewers that reached the final tally and when the last one did', () => {
    const c = new CommitToViewer();
    const [a, b, gone] = [c.addViewer(), c.addViewer(), c.addViewer()];
    c.frame(a, 3, 100);
    c.frame(b, 2, 100);
    c.frame(b, 3, 250);
    c.frame(gone, 1, 90);
    expect(c.reached(3)).toEqual({ reached: 2, lastAt: 250 });
    expect(c.reached(3, (i) => i !== b)).toEqual({ reached: 1, lastAt: 100 });
  });
});
