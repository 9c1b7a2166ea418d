// Loads one election by id for a page: the election, the load error, and `load` for a retry or
// a refresh after a change (the board and the admin console both hold one).
import { useCallback, useEffect, useState } from 'react';
import type { Election } from '@tallyboard/shared';
import { api } from './api';

export function useElection(id: string) {
  const [election, setElection] = useState<Election | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setElection(await api.getElection(id));
    } catch (err) {
      setError(err);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  return { election, setElection, error, load };
}
