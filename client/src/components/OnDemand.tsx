// Code fetched on demand (a page, the slip sheet): the localised loading line while it arrives
// and, when the network fails it, the same clear notice and retry as a failed request instead of
// an empty screen. Any other error is not ours to explain and goes on up.
import { Component, Suspense, type ReactNode } from 'react';
import { t } from '../i18n';
import { ErrorNotice, Loading } from './Notice';

/** Chromium, Firefox and Safari's words for a module that could not be fetched. */
const CHUNK_FAILED = /dynamically imported module|Importing a module script failed/i;

export function isChunkLoadError(err: unknown): boolean {
  return err instanceof Error && CHUNK_FAILED.test(err.message);
}

export function OnDemand({ children }: { children: ReactNode }) {
  return (
    <ChunkBoundary>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkBoundary>
  );
}

class ChunkBoundary extends Component<{ children: ReactNode }, { failed: Error | null }> {
  override state: { failed: Error | null } = { failed: null };

  static getDerivedStateFromError(error: unknown) {
    return { failed: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { failed } = this.state;
    if (!failed) return this.props.children;
    if (!isChunkLoadError(failed)) throw failed;
    // `lazy` keeps a failed import: only a reload asks the server again.
    return <ErrorNotice onRetry={() => window.location.reload()}>{t.errors.network}</ErrorNotice>;
  }
}
