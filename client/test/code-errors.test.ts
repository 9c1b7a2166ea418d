// What a voter reads when a ballot code is refused, and when a page's account is refused: the
// reason in words, never a bare status.
import { ApiError } from '../src/api';
import { t } from '../src/i18n';
import { codeErrorText } from '../src/pages/vote/RollDoor';
import { isBlockedError } from '../src/session-watch';

describe('codeErrorText', () => {
  it('says a refused code may have been used on another device', () => {
    const text = codeErrorText(new ApiError(401, 'invalid_code', 'unknown code'));
    expect(text).toBe(t.vote.codeInvalid);
    expect(text).toMatch(/already been used/);
  });

  it('says how long to wait when guessing is limited', () => {
    const text = codeErrorText(new ApiError(429, 'rate_limited', 'slow down', undefined, 42));
    expect(text).toBe('Too many wrong codes from this network. Wait 42 seconds, then try again.');
  });

  it('falls back to the error of its code for anything else', () => {
    expect(codeErrorText(new ApiError(403, 'not_open', 'closed'))).toBe(t.errors.byCode.not_open);
  });
});

describe('isBlockedError', () => {
  it('tells a blocked account from a session that simply ended', () => {
    expect(isBlockedError(new ApiError(403, 'account_blocked', 'blocked'))).toBe(true);
    expect(isBlockedError(new ApiError(401, 'unauthorized', 'not signed in'))).toBe(false);
    expect(isBlockedError(new ApiError(0, 'network', 'offline'))).toBe(false);
  });
});
