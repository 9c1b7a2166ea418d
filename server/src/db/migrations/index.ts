// Every migration, in the order it is applied.
import { migration as core } from './001_core';

export const migrations = [core];
