// Every migration, in the order it is applied.
import { migration as core } from './001_core';
import { migration as anonymitySet } from './002_anonymity_set';
import { migration as abstain } from './003_abstain';
import { migration as roll } from './004_roll';
import { migration as accountsAdmin } from './005_accounts_admin';
import { migration as leanBallotRows } from './006_lean_ballot_rows';

export const migrations = [core, anonymitySet, abstain, roll, accountsAdmin, leanBallotRows];
