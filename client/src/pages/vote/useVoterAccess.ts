// Who this visitor is to the election behind a join code, and what they may do: the lobby, a roll
// code exchanged for a token, the signed-in account and its standing, the receipt once voted.
// The ballot page reads it; the requests and the state they leave live here.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router-dom';
import type { Election, ElectionLobby, Selections, User, VoterStanding } from '@tallyboard/shared';
import { electionAdminApi, rollApi } from '../../admin-api';
import { api, ApiError } from '../../api';
import { setSessionToken } from '../../live/browser';
import {
  ballotDrafts,
  idempotencyKeyFor,
  receipts,
  rollTokens,
  type StoredReceipt,
} from '../../storage';

export function useVoterAccess(joinCode: string) {
  const [election, setElection] = useState<Election | null>(null);
  const [lobby, setLobby] = useState<ElectionLobby | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<StoredReceipt | null>(null);
  /** The receipt was just given (not restored by a reload): move focus to it. */
  const [justCast, setJustCast] = useState(false);
  const [alreadyVoted, setAlreadyVoted] = useState(false);
  const [user, setUser] = useState<User | null | undefined>(undefined);

  // A slip's link carries the ballot code: read once, exchanged at once, then gone from the URL so
  // it stays out of the history and of a shared screen.
  const { search } = useLocation();
  const linkCode = useRef(new URLSearchParams(search).get('code'));
  const [rollToken, setRollToken] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<unknown>(null);
  const [exchanging, setExchanging] = useState(false);
  const [standing, setStanding] = useState<VoterStanding | null>(null);

  const exchange = useCallback(async (electionId: string, code: string) => {
    setExchanging(true);
    setCodeError(null);
    try {
      const { voterToken } = await rollApi.exchangeCode(electionId, code);
      rollTokens.set(electionId, voterToken);
      return voterToken;
    } catch (err) {
      setCodeError(err);
      return null;
    } finally {
      setExchanging(false);
    }
  }, []);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      // The lobby first: it says whether this visitor may enter, so an `accounts` election asks
      // for a sign-in without a refused request.
      const door = await api.getElectionLobby(joinCode);
      setLobby(door);
      let token: string | null = null;
      let who: User | null | undefined = undefined;
      if (door.access === 'roll') {
        const code = linkCode.current;
        if (code) {
          linkCode.current = null;
          // Not through the router: the page must not reload for it, only the address change.
          const { pathname, hash } = window.location;
          window.history.replaceState(window.history.state, '', pathname + hash);
          token = await exchange(door.id, code);
        } else token = rollTokens.get(door.id);
        setRollToken(token);
        if (!token) {
          who = await api.currentUser().catch(() => null);
          setUser(who);
          if (!who) return; // the door: a code, or sign in
        }
      } else if (!door.canEnter) return;
      let e: Election;
      try {
        e = await api.getElectionByCode(joinCode, token ?? undefined);
      } catch (err) {
        // A kept code token no longer accepted (its code was reissued): back to the door.
        if (!token || !(err instanceof ApiError) || err.status !== 401) throw err;
        rollTokens.set(door.id, null);
        setRollToken(null);
        setUser(null);
        return;
      }
      setElection(e);
      setReceipt(receipts.get(e.id));
      if (e.access === 'accounts' || (e.access === 'roll' && !token)) {
        who ??= await api.currentUser().catch(() => null);
        setUser(who);
        // Whether this account may vote, and whether it did, before it fills in a ballot.
        setStanding(who ? await electionAdminApi.myStanding(e.id).catch(() => null) : null);
      }
    } catch (err) {
      setLoadError(err);
    }
  }, [joinCode, exchange]);

  useEffect(() => {
    void load();
  }, [load]);

  /** A code typed at the roll's door: exchanged like one carried by a link. */
  function enterCode(code: string) {
    linkCode.current = code;
    void load();
  }

  function signedIn(u: User) {
    setUser(u);
    void load();
  }

  async function cast(selections: Selections) {
    if (!election) return;
    const key = idempotencyKeyFor(election.id);
    try {
      const voter =
        election.access === 'open' ? 'anonymous' : rollToken ? { token: rollToken } : null;
      const res = await api.castBallot(election.id, selections, key, voter);
      // A replay means this voter's first ballot was already in: say so, never "counted" for
      // selections that were not recorded (a browser that kept its key but lost its receipt).
      const stored: StoredReceipt = {
        receipt: res.receipt,
        joinCode: election.joinCode,
        castAt: new Date().toISOString(),
        ...(res.replayed === true && { firstStands: true }),
      };
      receipts.set(election.id, stored);
      ballotDrafts.clear(election.id);
      setJustCast(true);
      setReceipt(stored);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'already_voted') setAlreadyVoted(true);
      if (err instanceof ApiError && err.status === 401 && rollToken) {
        // The code's token is no longer accepted (its code was reissued): back to the door.
        rollTokens.set(election.id, null);
        setRollToken(null);
        setElection(null);
        setUser(null);
      }
      throw err;
    }
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    setSessionToken(null);
    setUser(null);
    setStanding(null);
    if (election?.access === 'roll' && !rollToken) setElection(null);
  }

  return {
    election,
    lobby,
    loadError,
    receipt,
    justCast,
    alreadyVoted,
    user,
    rollToken,
    codeError,
    exchanging,
    standing,
    load,
    enterCode,
    signedIn,
    cast,
    signOut,
  };
}
