// Sign-in that the browser cannot keep (cookies blocked, a Secure cookie over plain HTTP): the
// form says so instead of letting every later request fail silently.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthForm } from '../src/components/AuthForm';
import { t } from '../src/i18n';

const user = { id: 'u1', email: 'a@example.org', name: 'A', role: 'admin' as const };

/** The part of a fetch Response that api.ts reads (jsdom has no Response). */
function answer(status: number, body: unknown) {
  return {
    ok: status < 300,
    status,
    statusText: '',
    headers: { get: () => null },
    text: async () => JSON.stringify(body),
  };
}

async function signIn(meStatus: number) {
  const fetchMock = jest.fn(async (url: string) =>
    url === '/api/auth/login'
      ? answer(200, { user, token: 'tb1.x.y' })
      : meStatus === 200
        ? answer(200, { user })
        : answer(401, { error: { code: 'unauthorized', message: 'not signed in' } }),
  );
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  const onSignedIn = jest.fn();
  const u = userEvent.setup();
  render(<AuthForm title="Sign in" allowRegister={false} onSignedIn={onSignedIn} />);
  await u.type(screen.getByLabelText(t.auth.email), user.email);
  await u.type(screen.getByLabelText(t.auth.password), 'secret-password');
  await u.click(screen.getByRole('button', { name: t.auth.signIn }));
  return { fetchMock, onSignedIn };
}

describe('sign-in form', () => {
  afterEach(() => localStorage.clear());

  it('says the sign-in did not stick when the browser does not send the session back', async () => {
    const { fetchMock, onSignedIn } = await signIn(401);
    expect(await screen.findByRole('alert')).toHaveTextContent(/did not keep the sign-in/);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/auth/login', '/api/auth/me']);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('signs in when the session is seen by the server', async () => {
    const { onSignedIn } = await signIn(200);
    await screen.findByRole('button', { name: t.auth.signIn });
    expect(onSignedIn).toHaveBeenCalledWith(user);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
