// Code loaded on demand: the localised loading line while it arrives, the network notice with a
// retry when it cannot be fetched, and any other error left to go up.
import { lazy } from 'react';
import { render, screen } from '@testing-library/react';
import { isChunkLoadError, OnDemand } from '../src/components/OnDemand';
import { setLanguage, t } from '../src/i18n';

function Page() {
  return <h1>The page</h1>;
}

/** A lazy component whose import settles when the test says so. */
function deferredPage() {
  let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const Lazy = lazy(
    () =>
      new Promise<{ default: typeof Page }>((resolve, reject) => {
        settle = { resolve: () => resolve({ default: Page }), reject };
      }),
  );
  return { Lazy, settle: () => settle! };
}

let consoleError: jest.SpyInstance;
beforeEach(() => {
  // React reports every error a boundary catches.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  consoleError.mockRestore();
  setLanguage('en');
});

describe('OnDemand', () => {
  it('shows the loading status in the chosen language, then the page', async () => {
    setLanguage('es');
    const { Lazy, settle } = deferredPage();
    render(
      <OnDemand>
        <Lazy />
      </OnDemand>,
    );
    expect(screen.getByRole('status')).toHaveTextContent(t.loading);
    expect(t.loading).toBe('Cargando…');
    settle().resolve();
    expect(await screen.findByRole('heading', { name: 'The page' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('says the network failed, with a retry, when the code cannot be fetched', async () => {
    const { Lazy, settle } = deferredPage();
    render(
      <OnDemand>
        <Lazy />
      </OnDemand>,
    );
    settle().reject(
      new TypeError('Failed to fetch dynamically imported module: /assets/VotePage-x.js'),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(t.errors.network);
    expect(screen.getByRole('button', { name: t.retry })).toBeInTheDocument();
  });

  it('lets any other error go up', async () => {
    function Broken(): never {
      throw new Error('a bug, not the network');
    }
    expect(() =>
      render(
        <OnDemand>
          <Broken />
        </OnDemand>,
      ),
    ).toThrow('a bug, not the network');
  });

  it.each([
    ['Failed to fetch dynamically imported module: https://x/a.js', true],
    ['error loading dynamically imported module: https://x/a.js', true],
    ['Importing a module script failed.', true],
    ['Cannot read properties of undefined', false],
  ])('tells a failed module fetch apart: %s', (message, expected) => {
    expect(isChunkLoadError(new TypeError(message))).toBe(expected);
  });
});
