// Every user-visible string of the client, in one place, and the chosen language: English here,
// Filipino and Spanish in `locales/`, each an object of the same shape (a test compares the key
// sets). Functions cover the strings that embed numbers or names; numbers, dates and percentages
// go through `Intl` in the chosen language.
import {
  LIMITS,
  type AccessMode,
  type ElectionStatus,
  type ErrorCode,
  type ResultsVisibility,
  type Role,
  type RollCodeState,
} from '@tallyboard/shared';
import { useSyncExternalStore } from 'react';
import { num, setLocale } from './locale';
import { es } from './locales/es';
import { fil } from './locales/fil';

const en = {
  appName: 'Tallyboard',
  nav: { join: 'Join', receipt: 'Check a receipt', admin: 'Admin', main: 'Main' },
  skipToContent: 'Skip to content',
  loading: 'Loading…',
  retry: 'Try again',
  back: 'Back',
  close: 'Close',
  cancel: 'Cancel',
  notFoundTitle: 'Page not found',
  notFoundBody: 'This address does not lead anywhere in Tallyboard.',
  goHome: 'Go to the start page',

  connection: {
    label: 'Connection',
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  },

  status: {
    draft: 'Draft',
    scheduled: 'Scheduled',
    open: 'Open',
    closed: 'Closed',
  } satisfies Record<ElectionStatus, string>,

  visibility: {
    live: 'Live: everyone sees the results while voting',
    after_close: 'After close: results appear when voting ends',
    admin_only: 'Admins only',
  } satisfies Record<ResultsVisibility, string>,

  access: {
    open: 'Open: anyone with the link or code',
    accounts: 'Accounts: registered voters only',
    roll: 'Voter roll: only people on the roll, once each, with a ballot code',
  } satisfies Record<AccessMode, string>,

  /** Who could vote, said of an election that has closed. */
  accessClosed: {
    open: 'Voting was open to anyone with the link or code',
    accounts: 'Voting was for registered voters only',
    roll: 'Voting was for the people on the voter roll',
  } satisfies Record<AccessMode, string>,

  language: {
    label: 'Language',
  },

  countdown: {
    opensIn: 'Opens in',
    closesIn: 'Closes in',
    now: 'any moment now',
    days: (d: number) => `${num(d)}d`,
    opensAt: (when: string) => `Opens ${when}`,
    closesAt: (when: string) => `Closes ${when}`,
  },

  join: {
    title: 'Join a vote',
    lead: 'Type the code shown by the organiser, or open the link they shared.',
    codeLabel: 'Join code',
    codeHint: '4 to 12 letters or digits',
    submit: 'Join',
    invalidCode: 'A join code has 4 to 12 letters or digits.',
    unknownCode: 'No election has this code. Check it and try again.',
    checking: 'Looking up the election…',
  },

  vote: {
    ballotHeading: 'Your ballot',
    selectUpTo: (n: number) => (n === 1 ? 'Select one' : `Select up to ${n}`),
    counter: (selected: number, max: number) => `${num(selected)} of ${num(max)} selected`,
    limitReached: (max: number) =>
      `Limit reached: deselect a candidate to choose another (${max} max).`,
    clear: 'Clear selection',
    review: 'Review my ballot',
    reviewHeading: 'Review your ballot',
    reviewLead: 'Check your choices. Once submitted, a ballot cannot be changed.',
    noSelection: 'No selection (blank)',
    edit: 'Change my choices',
    submit: 'Submit my ballot',
    submitting: 'Submitting…',
    /** While a ballot of an election with anonymitySet > 1 waits to commit with others. */
    sealing: 'Sealing your ballot with others…',
    blankWarning: 'Your ballot is blank: no candidate is selected in any position.',
    partialWarning: (titles: string[]) =>
      `You selected nobody for: ${titles.join(', ')}. Those positions will count as blank.`,
    confirmEmpty: 'I understand, submit it anyway',
    receiptHeading: 'Your vote is counted',
    firstBallotStands: 'You already voted: your first ballot stands',
    firstBallotStandsLead:
      'This browser sent a ballot in this election before, and only the first one counts: the choices you just made were not recorded. The receipt of your first ballot:',
    receiptLead: 'Keep this receipt code: it lets you check that your ballot is in the count.',
    receiptLabel: 'Receipt code',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Copy failed: select the code and copy it by hand.',
    checkReceipt: 'Check this receipt',
    alreadyVoted: 'You have already voted in this election from this browser or account.',
    notOpenYet: 'Voting has not started yet.',
    closed: 'Voting has ended.',
    draft: 'This election is not published yet.',
    liveResults: 'Live results',
    finalResults: 'Final results',
    resultsAfterClose: 'Results will be shown when voting ends.',
    resultsHidden: 'Results of this election are not public.',
    accountsRequired: 'This election is for registered voters. Sign in or create an account.',
    signedInAs: (name: string) => `Signed in as ${name}`,
    signOut: 'Sign out',
    networkRetry:
      'Your ballot may not have reached us. Submit again: it will not be counted twice.',
    positionsCount: (n: number) => (n === 1 ? '1 position' : `${n} positions`),
    candidatePhoto: (name: string) => `Photo of ${name}`,
    abstain: 'Abstain',
    abstainHint: 'Choose this to abstain on purpose: counted as an abstention, not a blank.',
    abstained: 'Abstained',
    codeTitle: 'Enter your ballot code',
    codeLead: 'Type the code printed on your voting slip.',
    codeLabel: 'Ballot code',
    codeSubmit: 'Continue',
    checkingCode: 'Checking your code…',
    codeInvalid:
      'This code has already been used, or it is not a valid code. Each code works once: if it was used on another device, that ballot is the one that counts. Ask the organiser for a new code if you have not voted.',
    codeLimited: (seconds: number) =>
      `Too many wrong codes from this network. Wait ${num(seconds)} seconds, then try again.`,
    rollSignIn: 'Is your email on the voter list? Sign in instead',
    rollSignInLead: 'Sign in with the account whose email the organiser put on the voter list.',
    useCodeInstead: 'Use a ballot code instead',
    youHaveVoted: 'You have voted in this election. Thank you!',
    notOnAllowlist: 'This account is not on the list of voters for this election.',
    notOnRoll:
      'This account is not on the voter list of this election. Use the ballot code from your slip.',
  },

  auth: {
    signIn: 'Sign in',
    register: 'Create an account',
    email: 'Email',
    password: 'Password',
    name: 'Your name',
    switchToRegister: 'No account yet? Create one',
    switchToSignIn: 'Already registered? Sign in',
    working: 'Please wait…',
    passwordHint: `At least ${LIMITS.password.min} characters`,
    wrongCredentials: 'Wrong email or password.',
    sessionNotKept:
      'Your password was accepted, but this browser did not keep the sign-in, so you would be ' +
      'signed out at once. This happens when cookies are blocked for this site, or when the ' +
      'server thinks the connection is HTTPS while the browser uses plain HTTP (a proxy ' +
      'misconfiguration). Allow cookies for this site, or open Tallyboard at the address your ' +
      'operator gave you (https:// when offered).',
    blocked: 'This account is blocked. Ask an administrator if you think this is a mistake.',
    blockedNow:
      'This account has been blocked: this page no longer has access. Ask an administrator if you think this is a mistake.',
    signedOutNow: 'You have been signed out: this page no longer has access. Sign in again.',
    changePasswordTitle: 'Choose a new password',
    changePasswordLead: 'You signed in with a temporary password. Choose your own to continue.',
    newPassword: 'New password',
    repeatPassword: 'Repeat the new password',
    passwordsDiffer: 'The two passwords are not the same.',
    changePassword: 'Save the new password',
  },

  receipt: {
    title: 'Check a receipt',
    lead: 'Enter the election code and your receipt code to confirm your ballot is counted.',
    codeLabel: 'Election join code',
    receiptLabel: 'Receipt code',
    submit: 'Check',
    counted: 'Confirmed: this ballot is in the count.',
    noSuchReceipt:
      'No ballot in this election has this receipt. Check it: a receipt has 16 letters and digits.',
    unknownElection: 'No election has this join code. Check it and try again.',
    electionLine: (title: string) => `Election: ${title}`,
  },

  tally: {
    ballots: 'Ballots',
    viewers: 'Watching',
    votes: (n: number) => (n === 1 ? '1 vote' : `${num(n)} votes`),
    percentOfBallots: 'of ballots',
    winner: 'Winner',
    tie: 'Tie',
    tieNote: 'Tie for a winning place: the rules of the election decide.',
    rank: 'Rank',
    votesHeader: 'Votes',
    candidateHeader: 'Candidate',
    noResults: 'No results yet.',
    noBallots: 'No ballots were cast: there are no winners.',
    noVotesInPosition: 'No votes in this position: no winner.',
    winnersCount: (n: number) => (n === 1 ? '1 winner' : `${n} winners`),
    barLabel: (name: string, votes: number, pct: string) => `${name}: ${num(votes)} votes, ${pct}`,
    abstained: 'Abstained',
    blank: 'Blank (nothing marked)',
  },

  board: {
    scanToVote: 'Scan to vote',
    orGoTo: 'or go to',
    code: 'Code',
    position: (i: number, n: number) => `Position ${i} of ${n}`,
    prev: 'Previous position',
    next: 'Next position',
    fullscreen: 'Full screen (F)',
    theme: 'Switch light or dark (T)',
    keysHelp: 'F full screen · ← → position · H results · W winners · Q join code · T theme',
    hidden: 'Results will appear here when voting closes.',
    curtain: 'Results are hidden for now.',
    controls: 'Presenter controls',
    hideResults: 'Hide results (H)',
    revealResults: 'Reveal results (H)',
    winnersSlide: 'Winners (W)',
    backToBars: 'Back to the bars (W)',
    showJoin: 'Show join code (Q)',
    hideJoin: 'Hide join code (Q)',
    winnersTitle: 'Winners',
    tiedForSeat: (names: string[]) => `Tied for the last seat: ${names.join(', ')}`,
    ofEligible: (n: number) => `of ${n} eligible`,
    pageOf: (first: number, last: number, total: number) => `${first}-${last} of ${total}`,
    adminOnly: 'Results of this election are shown to admins only.',
    finalBanner: 'Final results',
    positionsNav: 'Positions',
  },

  admin: {
    title: 'Admin',
    signInTitle: 'Sign in to Tallyboard admin',
    notAdmin: 'This account is not an admin.',
    elections: 'Elections',
    newElection: 'New election',
    noElections: 'No elections yet. Create the first one.',
    columns: {
      title: 'Title',
      code: 'Code',
      status: 'Status',
      ballots: 'Ballots',
      actions: 'Actions',
    },
    manage: 'Manage',
    board: 'Board',
    signOut: 'Sign out',
    allElections: 'All elections',
    sections: 'Console sections',

    builder: {
      createTitle: 'New election',
      editTitle: 'Edit election',
      general: 'General',
      electionTitle: 'Title',
      description: 'Description',
      access: 'Who can vote',
      visibility: 'Who sees results',
      anonymitySet: 'Ballots sealed together (anonymity set)',
      anonymitySetHint:
        'Each ballot is stored together with at least this many others, or after a few seconds. Empty: 1 for open polls, 5 otherwise.',
      schedule: 'Schedule (optional)',
      opensAt: 'Opens at',
      closesAt: 'Closes at',
      scheduleHint: 'Leave empty to open and close by hand.',
      positions: 'Positions',
      position: (i: number) => `Position ${i}`,
      positionTitle: 'Position title',
      maxSelections: 'Select up to',
      winners: 'Winners',
      candidates: 'Candidates',
      candidate: (i: number) => `Candidate ${i}`,
      candidateName: 'Name',
      candidateDescription: 'Description',
      photoUrl: 'Photo URL',
      addPosition: 'Add position',
      addCandidate: 'Add candidate',
      remove: 'Remove',
      moveUp: 'Move up',
      moveDown: 'Move down',
      removeWhat: (what: string) => `Remove ${what}`,
      moveUpWhat: (what: string) => `Move ${what} up`,
      moveDownWhat: (what: string) => `Move ${what} down`,
      save: 'Save election',
      saving: 'Saving…',
      cancel: 'Cancel',
      fixErrors: (n: number) =>
        n === 1 ? 'One field needs attention.' : `${n} fields need attention.`,
      draftOnly: 'Only a draft can be edited.',
      allowAbstain: 'Offer an "Abstain" choice',
      allowlist: 'Allowed voters (optional)',
      allowlistHint:
        'One per line: an email (ana@school.edu) or a whole domain (@school.edu). Empty: every signed-in account may vote.',
      allowlistBad: (entries: string[]) =>
        `Not an email or @domain: ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? '…' : ''}`,
      rollHint:
        'After saving, add the voter roll in the election console and issue the ballot codes.',
      /** Validation messages, in the product's words; `field` is the field's label. */
      issues: {
        electionTitleRequired: 'Give the election a title.',
        positionTitleRequired: 'Give this position a title.',
        candidateNameRequired: 'Give this candidate a name.',
        required: (field: string) => `Fill in “${field}”.`,
        visible: (field: string) =>
          `“${field}” needs letters, numbers or symbols that can be seen.`,
        characters: (field: string) =>
          `“${field}” contains characters that cannot be used here, such as a line break.`,
        tooLong: (field: string, max: number) =>
          `“${field}” can be at most ${num(max)} characters long.`,
        duplicateName: (n: number) => `Candidate ${num(n)} of this position already has this name.`,
        url: (field: string) =>
          `“${field}” must be a web address starting with http:// or https://.`,
        closesAfterOpens: (closes: string, opens: string) =>
          `“${closes}” must be after “${opens}”.`,
        inFuture: (field: string) => `“${field}” must be a time in the future.`,
        dateRange: (field: string) => `“${field}” must be a date between the years 2000 and 2999.`,
        date: (field: string) => `Enter a full date and time in “${field}”.`,
        atMostCandidates: (field: string, n: number) =>
          `“${field}” cannot be more than the number of candidates (${num(n)}).`,
        atLeast: (field: string, min: number) => `“${field}” must be at least ${num(min)}.`,
        atMost: (field: string, max: number) => `“${field}” must be at most ${num(max)}.`,
        wholeNumber: (field: string) => `Enter a whole number in “${field}”.`,
        choose: (field: string) => `Choose one of the options in “${field}”.`,
        noPositions: 'Add at least one position.',
        tooManyPositions: (max: number) => `An election can have at most ${num(max)} positions.`,
        noCandidates: 'Add at least one candidate to this position.',
        tooManyCandidates: (max: number) => `A position can have at most ${num(max)} candidates.`,
        check: (field: string) => `Check “${field}”.`,
        checkForm: 'Something in the form needs another look. Check the fields and try again.',
      },
    },

    detail: {
      joinCode: 'Join code',
      joinLink: 'Voter link',
      openNow: 'Open now',
      schedule: 'Schedule opening',
      closeNow: 'Close now',
      confirmClose: 'Close voting now? No ballot will be accepted after this.',
      edit: 'Edit',
      delete: 'Delete',
      confirmDelete: 'Delete this election for good?',
      openBoard: 'Open the board',
      monitor: 'Live monitor',
      participation: 'Participation',
      ballotsPerMinute: 'Ballots in the last minute',
      votesInPosition: 'Votes cast in this position',
      votersInPosition: (voters: number, ballots: number) =>
        `${num(voters)} of ${num(ballots)} voters chose someone`,
      finalResults: 'Final results',
      ranking: 'Ranking',
      exportCsv: 'Export CSV',
      exportJson: 'Export JSON',
      audit: 'Audit recount',
      auditRunning: 'Recounting…',
      auditMatch: (ballots: number) =>
        `Recount matches the counters: ${num(ballots)} ballots, no difference.`,
      auditMismatch: (n: number) =>
        `Recount differs from the counters in ${n} place${n === 1 ? '' : 's'}.`,
      auditCounter: 'Counter',
      auditRecount: 'Recount',
      scheduled: (when: string) => `Scheduled to open ${when}`,
      closesAt: (when: string) => `Closes ${when}`,
      opensAt: (when: string) => `Opens ${when}`,
      readOnly: (status: string) => `${status}: this election can no longer be edited.`,
      readOnlyWhy:
        'Only a draft can be edited, so that every voter sees the same ballot. What it holds is shown below, read-only.',
      readOnlyLabel: 'The election as it stands, read-only',
      backToConsole: 'Back to the election',
      duplicate: 'Duplicate',
      unschedule: 'Unschedule',
      confirmUnschedule:
        'Move this election back to draft? It will not open until you schedule or open it again.',
      deleteTitle: (title: string) => `Delete “${title}”?`,
      deleteLeadDraft: 'The draft is removed for good.',
      deleteLeadClosed:
        'The election, its ballots and its results are removed for good. Download the results first if you need them:',
      deleteConfirm: 'Delete for good',
      turnout: 'Turnout',
      turnoutValue: (cast: number, eligible: number) =>
        `${num(cast)} / ${num(eligible)}${eligible > 0 ? ` (${Math.round((cast / eligible) * 100)}%)` : ''}`,
    },

    roll: {
      title: 'Voter roll',
      lead: 'Only voters on this roll can vote, once each, with a one-time ballot code (or by signing in with the email on the roll).',
      count: (n: number) => (n === 1 ? '1 voter on the roll' : `${num(n)} voters on the roll`),
      votedCount: (voted: number, total: number) => `${num(voted)} of ${num(total)} voted`,
      importTitle: 'Add voters from a CSV',
      importHint:
        'One voter per line: ref,name,email (the email is optional). A header line "ref,name,email" is skipped.',
      paste: 'Paste the CSV',
      upload: 'Or choose a CSV file',
      previewCaption: 'The first voters to be added',
      ready: (n: number) => (n === 1 ? '1 voter ready to add' : `${num(n)} voters ready to add`),
      andMore: (n: number) => `and ${num(n)} more`,
      skipped: (n: number) =>
        n === 1 ? '1 line will be skipped:' : `${num(n)} lines will be skipped:`,
      duplicateLine: (ref: string, line: number, first: number) =>
        `Line ${num(line)}: ref “${ref}” is already on line ${num(first)}.`,
      problemLine: (line: number, what: string) => `Line ${num(line)}: ${what}.`,
      problems: {
        noRef: 'no ref',
        noName: 'no name',
        badEmail: 'the email is not a valid address',
        tooManyColumns: 'more than three columns',
      },
      addVoters: (n: number) => (n === 1 ? 'Add 1 voter' : `Add ${num(n)} voters`),
      adding: 'Adding…',
      added: (n: number) => (n === 1 ? '1 voter added.' : `${num(n)} voters added.`),
      alreadyOnRoll: (n: number) =>
        n === 1
          ? '1 ref was already on the roll and was not added again:'
          : `${num(n)} refs were already on the roll and were not added again:`,
      addOneTitle: 'Add one voter',
      emailOptional: 'Email (optional)',
      add: 'Add',
      search: 'Search by ref, name or email',
      paging: 'Pages of the roll',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} of ${num(total)}`,
      prev: 'Previous',
      next: 'Next',
      columns: {
        select: 'Select',
        ref: 'Ref',
        name: 'Name',
        email: 'Email',
        voted: 'Voted',
        code: 'Ballot code',
      },
      voted: 'Voted',
      notVoted: 'Not yet',
      codeState: { none: 'None', issued: 'Issued', used: 'Used' } satisfies Record<
        RollCodeState,
        string
      >,
      remove: 'Remove',
      confirmRemove: (name: string) => `Remove ${name} from the roll?`,
      selectEntry: (name: string) => `Select ${name}`,
      empty: 'Nobody is on the roll yet.',
      locked: 'Voters can be added or removed only while the election is a draft or scheduled.',
      issueNew: 'Issue codes for voters without one',
      reissue: (n: number) => `Reissue codes for ${num(n)} selected`,
      confirmReissue: (n: number) =>
        `Issue new codes for ${num(n)} voters? Their old codes stop working.`,
      issuing: 'Issuing…',
      exportRegister: 'Export the marked register (CSV)',
    },

    codes: {
      title: (n: number) => (n === 1 ? '1 new ballot code' : `${num(n)} new ballot codes`),
      once: 'These codes are shown only now: download them or print the slips before leaving this page. A lost code can be reissued (the old one then stops working).',
      download: 'Download the codes (CSV)',
      print: 'Printable slips',
      hide: 'Hide the codes',
      confirmHide: 'Hide the codes? They cannot be shown again, only reissued.',
      noneToIssue: 'Every voter on the roll already has a code. Select voters to reissue theirs.',
    },

    slips: {
      title: 'Ballot code slips',
      paper: 'Paper',
      a4: 'A4',
      letter: 'US Letter',
      pageCount: (slips: number, pages: number) =>
        `${num(slips)} slips on ${num(pages)} page${pages === 1 ? '' : 's'}`,
      print: 'Print',
      hint: 'In the print dialog, choose the same paper and 100% scale. Cut along the lines.',
      yourCode: 'Your ballot code',
      once: 'One ballot per code. Keep this slip to yourself.',
    },

    users: {
      title: 'Users',
      search: 'Search by name or email',
      columns: { name: 'Name', email: 'Email', role: 'Role', status: 'Status' },
      role: { admin: 'Admin', voter: 'Voter' } satisfies Record<Role, string>,
      you: '(you)',
      active: 'Active',
      blocked: 'Blocked',
      block: 'Block',
      unblock: 'Unblock',
      promote: 'Make admin',
      demote: 'Make voter',
      temporaryPassword: 'Temporary password',
      delete: 'Delete',
      confirmBlock: (email: string) =>
        `Block ${email}? The account is signed out everywhere and cannot sign in until unblocked.`,
      confirmUnblock: (email: string) => `Unblock ${email}?`,
      confirmPromote: (email: string) => `Make ${email} an admin?`,
      confirmDemote: (email: string) => `Make ${email} a voter (no longer an admin)?`,
      confirmTemporary: (email: string) =>
        `Set a temporary password for ${email}? Their current password stops working.`,
      temporaryShown: (email: string) =>
        `Temporary password for ${email}, shown only now. They must choose their own at the next sign-in:`,
      hideTemporary: 'Hide it',
      deleteTitle: (email: string) => `Delete the account ${email}?`,
      deleteLead:
        'The account is removed for good. Where it voted, its participation stays, so nobody votes twice; nothing links it to a ballot.',
      deleteConfirm: 'Delete the account',
      empty: 'No account matches.',
      paging: 'Pages of accounts',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} of ${num(total)}`,
      prev: 'Previous',
      next: 'Next',
    },
  },

  errors: {
    network: 'Cannot reach Tallyboard. Check your connection and try again.',
    generic: 'Something went wrong. Please try again.',
    byCode: {
      bad_json: 'The request was malformed.',
      bad_request: 'The request was not understood.',
      unauthorized: 'Please sign in.',
      invalid_code: 'This ballot code is not valid: it is unknown, already used or replaced.',
      forbidden: 'You are not allowed to do this.',
      account_blocked: 'This account is blocked. Contact an administrator.',
      password_change_required: 'Change your temporary password to continue.',
      not_on_allowlist: 'This account is not on the list of voters of this election.',
      not_open: 'This election is not open for voting.',
      results_hidden: 'Results are not visible yet.',
      not_found: 'Not found.',
      already_voted: 'You have already voted in this election.',
      conflict: 'This conflicts with the current state. Reload and try again.',
      not_draft: 'Only a draft election can be changed.',
      last_admin: 'This is the last administrator: promote another account first.',
      payload_too_large: 'This is too large to send.',
      invalid: 'Some fields are not valid.',
      rate_limited: 'Too many requests. Wait a moment and try again.',
      internal: 'The server had a problem. Please try again.',
      unavailable: 'The service is busy. Please try again shortly.',
      master_unavailable:
        'Voting is paused for a moment. Your ballot was not counted yet: try again shortly.',
    } satisfies Record<ErrorCode, string>,
  },
};

export type Messages = typeof en;

/** A translation: the shape of `en`; a string missing from it shows in English (a test flags it). */
export type Translation = DeepPartial<Messages>;
type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown
    ? T[K]
    : T[K] extends object
      ? DeepPartial<T[K]>
      : T[K];
};

export const languages = ['en', 'fil', 'es'] as const;
export type Language = (typeof languages)[number];

/** Each language by its own name, so a reader finds theirs whatever is showing. */
export const languageNames: Record<Language, string> = {
  en: 'English',
  fil: 'Filipino',
  es: 'Español',
};

export { formatDateTime, locale, num } from './locale';

export const translations: Record<Language, Translation> = { en, fil, es };

const STORAGE_KEY = 'tb.lang';

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (languages as readonly string[]).includes(v);
}

/** The remembered choice, else the browser's first language we have, else English. */
function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    /* storage disabled */
  }
  const wanted = typeof navigator === 'undefined' ? [] : (navigator.languages ?? []);
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'tl') return 'fil';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/**
 * Copies `from` into `into` in place, object by object. `t` is one long-lived object: modules
 * that keep a part of it (`const td = t.admin.detail`) see the new language without re-reading.
 */
function assignDeep(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const target = into[k];
    if (v && typeof v === 'object' && target && typeof target === 'object') {
      assignDeep(target as Record<string, unknown>, v as Record<string, unknown>);
    } else if (v !== undefined) {
      into[k] = v;
    }
  }
}

function cloneDeep<T>(value: T): T {
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneDeep(v);
  return out as T;
}

/** The active messages, in the chosen language. */
export const t: Messages = cloneDeep(en);

let current: Language = 'en';
const listeners = new Set<() => void>();

/** The chosen language: `<html lang>`, and the locale for every `Intl` format. */
export function language(): Language {
  return current;
}

/** Switches every string, remembers the choice and tells `<html lang>` and the subscribers. */
export function setLanguage(next: Language): void {
  current = next;
  setLocale(next);
  assignDeep(t as unknown as Record<string, unknown>, en as unknown as Record<string, unknown>);
  if (next !== 'en') {
    assignDeep(
      t as unknown as Record<string, unknown>,
      translations[next] as Record<string, unknown>,
    );
  }
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* storage disabled: the choice lasts this visit */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function subscribeLanguage(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the caller when the language changes; returns it. */
export function useLanguage(): Language {
  return useSyncExternalStore(subscribeLanguage, language, language);
}

if (typeof window !== 'undefined') setLanguage(initialLanguage());
