// Filipino (Tagalog), as a student council or union election would say it; the everyday English
// loanwords of Philippine campuses (code, link, admin, account, sign in) stay as they are said.
import { LIMITS } from '@tallyboard/shared';
import type { Translation } from '../i18n';
import { num } from '../locale';

export const fil: Translation = {
  appName: 'Tallyboard',
  nav: { join: 'Sumali', receipt: 'Suriin ang resibo', admin: 'Admin', main: 'Pangunahin' },
  skipToContent: 'Lumaktaw sa nilalaman',
  loading: 'Naglo-load…',
  retry: 'Subukang muli',
  back: 'Bumalik',
  close: 'Isara',
  cancel: 'Kanselahin',
  notFoundTitle: 'Hindi makita ang pahina',
  notFoundBody: 'Walang pinatutunguhan sa Tallyboard ang address na ito.',
  goHome: 'Pumunta sa panimulang pahina',

  connection: {
    label: 'Koneksiyon',
    connecting: 'Kumokonekta…',
    live: 'Live',
    reconnecting: 'Muling kumokonekta…',
    offline: 'Offline',
  },

  status: {
    draft: 'Draft',
    scheduled: 'Nakatakda',
    open: 'Bukas',
    closed: 'Sarado',
  },

  visibility: {
    live: 'Live: makikita ng lahat ang resulta habang nagbobotohan',
    after_close: 'Pagkatapos magsara: lalabas ang resulta kapag tapos na ang botohan',
    admin_only: 'Mga admin lamang',
  },

  access: {
    open: 'Bukas: sinumang may link o code',
    accounts: 'Mga account: mga rehistradong botante lamang',
    roll: 'Listahan ng botante: ang mga nasa listahan lamang, tig-iisang beses, gamit ang ballot code',
  },

  accessClosed: {
    open: 'Bukas ang botohan sa sinumang may link o code',
    accounts: 'Para lamang sa mga rehistradong botante ang botohan',
    roll: 'Para sa mga nasa listahan ng botante ang botohan',
  },

  language: {
    label: 'Wika',
  },

  countdown: {
    opensIn: 'Magbubukas sa loob ng',
    closesIn: 'Magsasara sa loob ng',
    now: 'anumang sandali ngayon',
    days: (d: number) => `${num(d)} araw`,
    opensAt: (when: string) => `Magbubukas: ${when}`,
    closesAt: (when: string) => `Magsasara: ${when}`,
  },

  join: {
    title: 'Sumali sa botohan',
    lead: 'I-type ang code na ibinigay ng tagapag-ayos, o buksan ang link na ibinahagi nila.',
    codeLabel: 'Join code',
    codeHint: '4 hanggang 12 titik o numero',
    submit: 'Sumali',
    invalidCode: 'Ang join code ay may 4 hanggang 12 titik o numero.',
    unknownCode: 'Walang halalang may ganitong code. Suriin ito at subukang muli.',
    checking: 'Hinahanap ang halalan…',
  },

  vote: {
    sealing: 'Tinatatakan ang iyong balota kasama ng iba…',
    ballotHeading: 'Ang iyong balota',
    selectUpTo: (n: number) => (n === 1 ? 'Pumili ng isa' : `Pumili ng hanggang ${num(n)}`),
    counter: (selected: number, max: number) => `${num(selected)} sa ${num(max)} ang napili`,
    limitReached: (max: number) =>
      `Naabot na ang limitasyon: alisin muna ang isang kandidato para pumili ng iba (hanggang ${num(max)}).`,
    clear: 'Alisin ang pinili',
    review: 'Suriin ang aking balota',
    reviewHeading: 'Suriin ang iyong balota',
    reviewLead: 'Tingnan ang iyong mga pinili. Kapag naipasa na, hindi na mababago ang balota.',
    noSelection: 'Walang pinili (blangko)',
    edit: 'Baguhin ang aking mga pinili',
    submit: 'Ipasa ang aking balota',
    submitting: 'Ipinapasa…',
    blankWarning: 'Blangko ang iyong balota: wala kang pinili sa kahit anong posisyon.',
    partialWarning: (titles: string[]) =>
      `Wala kang pinili para sa: ${titles.join(', ')}. Bibilangin na blangko ang mga posisyong iyon.`,
    confirmEmpty: 'Nauunawaan ko, ipasa pa rin',
    receiptHeading: 'Nabilang na ang iyong boto',
    firstBallotStands: 'Nakaboto ka na: ang una mong balota ang bibilangin',
    firstBallotStandsLead:
      'Nakapagpadala na ng balota ang browser na ito sa halalang ito, at ang una lamang ang binibilang: hindi naitala ang mga pinili mo ngayon. Ang resibo ng una mong balota:',
    receiptLead:
      'Itago ang resibong code na ito: dito mo masusuri na kasama sa bilang ang iyong balota.',
    receiptLabel: 'Resibong code',
    copy: 'Kopyahin',
    copied: 'Nakopya na',
    copyFailed: 'Hindi nakopya: piliin ang code at kopyahin ito nang mano-mano.',
    checkReceipt: 'Suriin ang resibong ito',
    alreadyVoted: 'Nakaboto ka na sa halalang ito mula sa browser o account na ito.',
    notOpenYet: 'Hindi pa nagsisimula ang botohan.',
    closed: 'Tapos na ang botohan.',
    draft: 'Hindi pa nailalathala ang halalang ito.',
    liveResults: 'Live na resulta',
    finalResults: 'Pinal na resulta',
    resultsAfterClose: 'Ipapakita ang resulta kapag tapos na ang botohan.',
    resultsHidden: 'Hindi pampubliko ang resulta ng halalang ito.',
    accountsRequired:
      'Para sa mga rehistradong botante ang halalang ito. Mag-sign in o gumawa ng account.',
    signedInAs: (name: string) => `Naka-sign in bilang ${name}`,
    signOut: 'Mag-sign out',
    networkRetry:
      'Maaaring hindi nakarating sa amin ang iyong balota. Ipasa itong muli: hindi ito mabibilang nang dalawang beses.',
    positionsCount: (n: number) => (n === 1 ? '1 posisyon' : `${num(n)} posisyon`),
    candidatePhoto: (name: string) => `Larawan ni ${name}`,
    abstain: 'Mag-abstain',
    abstainHint:
      'Piliin ito kung sadyang ayaw mong pumili: bibilangin bilang abstain, hindi bilang blangko.',
    abstained: 'Nag-abstain',
    codeTitle: 'Ilagay ang iyong ballot code',
    codeLead: 'I-type ang code na nakalimbag sa iyong voting slip.',
    codeLabel: 'Code ng balota',
    codeSubmit: 'Magpatuloy',
    checkingCode: 'Sinusuri ang iyong code…',
    codeInvalid:
      'Nagamit na ang code na ito, o hindi ito wastong code. Isang beses lamang gumagana ang bawat code: kung ginamit ito sa ibang device, ang balotang ipinadala roon ang binibilang. Humingi ng bagong code sa tagapag-organisa kung hindi ka pa nakaboto.',
    codeLimited: (seconds: number) =>
      `Masyadong maraming maling code mula sa network na ito. Maghintay ng ${num(seconds)} segundo, saka subukang muli.`,
    rollSignIn: 'Nasa listahan ng botante ang iyong email? Mag-sign in na lang',
    rollSignInLead:
      'Mag-sign in gamit ang account na may email na inilagay ng tagapag-organisa sa listahan ng botante.',
    useCodeInstead: 'Gumamit na lang ng ballot code',
    youHaveVoted: 'Nakaboto ka na sa halalang ito. Salamat!',
    notOnAllowlist: 'Wala ang account na ito sa listahan ng mga botante ng halalang ito.',
    notOnRoll:
      'Wala ang account na ito sa listahan ng botante ng halalang ito. Gamitin ang ballot code sa iyong slip.',
  },

  auth: {
    sessionNotKept:
      'Tama ang iyong password, pero hindi itinago ng browser na ito ang pag-sign in, kaya ' +
      'malo-log out ka agad. Nangyayari ito kapag naka-block ang cookies para sa site na ito, o ' +
      'kapag akala ng server ay HTTPS ang koneksiyon pero HTTP ang gamit ng browser (maling ' +
      'setting ng proxy). Payagan ang cookies para sa site na ito, o buksan ang Tallyboard sa ' +
      'address na ibinigay ng operator (https:// kung mayroon).',
    blocked:
      'Naka-block ang account na ito. Magtanong sa isang admin kung sa tingin mo ay mali ito.',
    blockedNow:
      'Na-block ang account na ito: wala nang access ang pahinang ito. Magtanong sa isang admin kung sa tingin mo ay mali ito.',
    signedOutNow: 'Na-sign out ka: wala nang access ang pahinang ito. Mag-sign in muli.',
    changePasswordTitle: 'Pumili ng bagong password',
    changePasswordLead:
      'Nag-sign in ka gamit ang pansamantalang password. Pumili ng sarili mong password para magpatuloy.',
    newPassword: 'Bagong password',
    repeatPassword: 'Ulitin ang bagong password',
    passwordsDiffer: 'Hindi magkapareho ang dalawang password.',
    changePassword: 'I-save ang bagong password',
    signIn: 'Mag-sign in',
    register: 'Gumawa ng account',
    email: 'Email',
    password: 'Password',
    name: 'Ang iyong pangalan',
    switchToRegister: 'Wala ka pang account? Gumawa ng isa',
    switchToSignIn: 'May account ka na? Mag-sign in',
    working: 'Sandali lang…',
    passwordHint: `Hindi bababa sa ${LIMITS.password.min} na karakter`,
    wrongCredentials: 'Mali ang email o password.',
  },

  receipt: {
    title: 'Suriin ang resibo',
    lead: 'Ilagay ang code ng halalan at ang iyong resibong code para matiyak na nabilang ang iyong balota.',
    codeLabel: 'Join code ng halalan',
    receiptLabel: 'Resibong code',
    submit: 'Suriin',
    counted: 'Kumpirmado: kasama sa bilang ang balotang ito.',
    noSuchReceipt:
      'Walang balota sa halalang ito na may ganitong resibo. Suriin ito: may 16 na titik at numero ang resibo.',
    unknownElection: 'Walang halalang may ganitong join code. Suriin ito at subukang muli.',
    electionLine: (title: string) => `Halalan: ${title}`,
  },

  tally: {
    noBallots: 'Walang naihulog na balota: walang nanalo.',
    noVotesInPosition: 'Walang boto sa posisyong ito: walang nanalo.',
    ballots: 'Mga balota',
    viewers: 'Nanonood',
    votes: (n: number) => (n === 1 ? '1 boto' : `${num(n)} boto`),
    percentOfBallots: 'ng mga balota',
    winner: 'Nanalo',
    tie: 'Tabla',
    tieNote: 'Tabla para sa puwestong panalo: ang mga patakaran ng halalan ang magpapasya.',
    rank: 'Ranggo',
    votesHeader: 'Boto',
    candidateHeader: 'Kandidato',
    noResults: 'Wala pang resulta.',
    winnersCount: (n: number) => (n === 1 ? '1 mananalo' : `${num(n)} mananalo`),
    barLabel: (name: string, votes: number, pct: string) => `${name}: ${num(votes)} boto, ${pct}`,
    abstained: 'Nag-abstain',
    blank: 'Blangko (walang minarkahan)',
  },

  board: {
    curtain: 'Nakatago muna ang mga resulta.',
    controls: 'Mga kontrol ng tagapagtanghal',
    hideResults: 'Itago ang mga resulta (H)',
    revealResults: 'Ipakita ang mga resulta (H)',
    winnersSlide: 'Mga nanalo (W)',
    backToBars: 'Bumalik sa mga bar (W)',
    showJoin: 'Ipakita ang join code (Q)',
    hideJoin: 'Itago ang join code (Q)',
    winnersTitle: 'Mga nanalo',
    tiedForSeat: (names: string[]) => `Tabla para sa huling puwesto: ${names.join(', ')}`,
    ofEligible: (n: number) => `sa ${n} na maaaring bumoto`,
    pageOf: (first: number, last: number, total: number) => `${first}-${last} sa ${total}`,
    scanToVote: 'I-scan para bumoto',
    orGoTo: 'o pumunta sa',
    code: 'Code',
    position: (i: number, n: number) => `Posisyon ${num(i)} sa ${num(n)}`,
    prev: 'Nakaraang posisyon',
    next: 'Susunod na posisyon',
    fullscreen: 'Buong screen (F)',
    theme: 'Maliwanag o madilim (T)',
    keysHelp: 'F buong screen · ← → posisyon · T tema',
    hidden: 'Lalabas dito ang resulta kapag nagsara na ang botohan.',
    adminOnly: 'Sa mga admin lamang ipinapakita ang resulta ng halalang ito.',
    finalBanner: 'Pinal na resulta',
    positionsNav: 'Mga posisyon',
  },

  admin: {
    title: 'Admin',
    signInTitle: 'Mag-sign in sa admin ng Tallyboard',
    notAdmin: 'Hindi admin ang account na ito.',
    elections: 'Mga halalan',
    newElection: 'Bagong halalan',
    noElections: 'Wala pang halalan. Gawin ang una.',
    columns: {
      title: 'Pamagat',
      code: 'Code',
      status: 'Katayuan',
      ballots: 'Mga balota',
      actions: 'Mga aksiyon',
    },
    manage: 'Pamahalaan',
    board: 'Board',
    signOut: 'Mag-sign out',
    allElections: 'Lahat ng halalan',
    sections: 'Mga bahagi ng console',
    roll: {
      title: 'Roll ng mga botante',
      lead: 'Ang mga nasa roll lamang ang makakaboto, isang beses bawat isa, gamit ang isang-gamit na ballot code (o sa pag-sign in gamit ang email na nasa roll).',
      count: (n: number) => (n === 1 ? '1 botante sa roll' : `${num(n)} botante sa roll`),
      votedCount: (voted: number, total: number) => `${num(voted)} sa ${num(total)} ang nakaboto`,
      importTitle: 'Magdagdag ng mga botante mula sa CSV',
      importHint:
        'Isang botante bawat linya: ref,pangalan,email (opsiyonal ang email). Nilalaktawan ang header na "ref,name,email".',
      paste: 'I-paste ang CSV',
      upload: 'O pumili ng CSV file',
      previewCaption: 'Ang mga unang botanteng idadagdag',
      ready: (n: number) =>
        n === 1 ? '1 botanteng handang idagdag' : `${num(n)} botanteng handang idagdag`,
      andMore: (n: number) => `at ${num(n)} pa`,
      skipped: (n: number) =>
        n === 1 ? '1 linya ang lalaktawan:' : `${num(n)} linya ang lalaktawan:`,
      duplicateLine: (ref: string, line: number, first: number) =>
        `Linya ${num(line)}: nasa linya ${num(first)} na ang ref na “${ref}”.`,
      problemLine: (line: number, what: string) => `Linya ${num(line)}: ${what}.`,
      problems: {
        noRef: 'walang ref',
        noName: 'walang pangalan',
        badEmail: 'hindi wastong address ang email',
        tooManyColumns: 'higit sa tatlong column',
      },
      addVoters: (n: number) =>
        n === 1 ? 'Idagdag ang 1 botante' : `Idagdag ang ${num(n)} botante`,
      adding: 'Idinadagdag…',
      added: (n: number) =>
        n === 1 ? '1 botante ang naidagdag.' : `${num(n)} botante ang naidagdag.`,
      alreadyOnRoll: (n: number) =>
        n === 1
          ? '1 ref ang nasa roll na at hindi na muling idinagdag:'
          : `${num(n)} ref ang nasa roll na at hindi na muling idinagdag:`,
      addOneTitle: 'Magdagdag ng isang botante',
      emailOptional: 'Email (opsiyonal)',
      add: 'Idagdag',
      search: 'Maghanap ayon sa ref, pangalan o email',
      paging: 'Mga pahina ng listahan ng botante',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} sa ${num(total)}`,
      prev: 'Nakaraan',
      next: 'Susunod',
      columns: {
        select: 'Piliin',
        ref: 'Ref. no.',
        name: 'Pangalan',
        email: 'Email address',
        voted: 'Nakaboto',
        code: 'Code ng balota',
      },
      voted: 'Nakaboto',
      notVoted: 'Hindi pa',
      codeState: { none: 'Wala', issued: 'Naibigay', used: 'Nagamit na' },
      remove: 'Alisin',
      confirmRemove: (name: string) => `Alisin si ${name} sa roll?`,
      selectEntry: (name: string) => `Piliin si ${name}`,
      empty: 'Wala pang tao sa roll.',
      locked:
        'Makakapagdagdag o makakapag-alis lamang ng botante habang draft o nakaiskedyul ang halalan.',
      issueNew: 'Maglabas ng code para sa mga wala pa',
      reissue: (n: number) => `Maglabas muli ng code para sa ${num(n)} na napili`,
      confirmReissue: (n: number) =>
        `Maglabas ng bagong code para sa ${num(n)} botante? Hindi na gagana ang mga luma nilang code.`,
      issuing: 'Naglalabas…',
      exportRegister: 'I-export ang listahan ng bumoto (CSV)',
    },
    codes: {
      title: (n: number) => (n === 1 ? '1 bagong ballot code' : `${num(n)} bagong ballot code`),
      once: 'Ngayon lamang ipinapakita ang mga code na ito: i-download o i-print ang mga slip bago umalis sa pahinang ito. Puwedeng maglabas muli ng nawalang code (hindi na gagana ang luma).',
      download: 'I-download ang mga code (CSV)',
      print: 'Mga slip na ipi-print',
      hide: 'Itago ang mga code',
      confirmHide:
        'Itago ang mga code? Hindi na maipapakita muli ang mga ito, maglalabas na lang ng bago.',
      noneToIssue:
        'May code na ang bawat botante sa roll. Pumili ng mga botante para maglabas muli ng kanilang code.',
    },
    slips: {
      title: 'Mga slip ng ballot code',
      paper: 'Papel',
      a4: 'A4 na papel',
      letter: 'Letter na papel',
      pageCount: (slips: number, pages: number) => `${num(slips)} slip sa ${num(pages)} pahina`,
      print: 'I-print',
      hint: 'Sa print dialog, piliin ang parehong papel at 100% na scale. Gupitin sa mga linya.',
      yourCode: 'Ang iyong ballot code',
      once: 'Isang balota bawat code. Huwag ipakita sa iba ang slip na ito.',
    },
    users: {
      title: 'Mga user',
      search: 'Maghanap ayon sa pangalan o email',
      columns: { name: 'Pangalan', email: 'Email address', role: 'Tungkulin', status: 'Katayuan' },
      role: { admin: 'Tagapangasiwa', voter: 'Botante' },
      you: '(ikaw)',
      active: 'Aktibo',
      blocked: 'Naka-block',
      block: 'I-block',
      unblock: 'I-unblock',
      promote: 'Gawing admin',
      demote: 'Gawing botante',
      temporaryPassword: 'Pansamantalang password',
      delete: 'Burahin',
      confirmBlock: (email: string) =>
        `I-block ang ${email}? Masa-sign out ang account sa lahat ng lugar at hindi makakapag-sign in hangga’t hindi na-unblock.`,
      confirmUnblock: (email: string) => `I-unblock ang ${email}?`,
      confirmPromote: (email: string) => `Gawing admin si ${email}?`,
      confirmDemote: (email: string) => `Gawing botante si ${email} (hindi na admin)?`,
      confirmTemporary: (email: string) =>
        `Bigyan ng pansamantalang password si ${email}? Hindi na gagana ang kasalukuyan niyang password.`,
      temporaryShown: (email: string) =>
        `Pansamantalang password ni ${email}, ngayon lamang ipinapakita. Kailangan niyang pumili ng sarili sa susunod na pag-sign in:`,
      hideTemporary: 'Itago ito',
      deleteTitle: (email: string) => `Burahin ang account na ${email}?`,
      deleteLead:
        'Tuluyang buburahin ang account. Kung bumoto ito, mananatili ang tala ng pakikilahok para walang makaboto nang dalawang beses; walang nag-uugnay dito sa isang balota.',
      deleteConfirm: 'Burahin ang account',
      empty: 'Walang tumutugmang account.',
      paging: 'Mga pahina ng account',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} sa ${num(total)}`,
      prev: 'Nakaraan',
      next: 'Susunod',
    },

    builder: {
      anonymitySet: 'Mga balotang sabay na tinatatakan (anonymity set)',
      anonymitySetHint:
        'Iniimbak ang bawat balota kasama ng hindi bababa sa ganitong dami ng iba, o pagkalipas ng ilang segundo. Walang laman: 1 para sa bukas na poll, 5 sa iba.',
      createTitle: 'Bagong halalan',
      editTitle: 'I-edit ang halalan',
      general: 'Pangkalahatan',
      electionTitle: 'Pamagat',
      description: 'Paglalarawan',
      access: 'Sino ang puwedeng bumoto',
      visibility: 'Sino ang makakakita ng resulta',
      schedule: 'Iskedyul (hindi kailangan)',
      opensAt: 'Magbubukas sa',
      closesAt: 'Magsasara sa',
      scheduleHint: 'Iwanang blangko para buksan at isara ito nang mano-mano.',
      positions: 'Mga posisyon',
      position: (i: number) => `Posisyon ${num(i)}`,
      positionTitle: 'Pangalan ng posisyon',
      maxSelections: 'Pinakamaraming mapipili',
      winners: 'Bilang ng mananalo',
      candidates: 'Mga kandidato',
      candidate: (i: number) => `Kandidato ${num(i)}`,
      candidateName: 'Pangalan',
      candidateDescription: 'Paglalarawan',
      photoUrl: 'URL ng larawan',
      addPosition: 'Magdagdag ng posisyon',
      addCandidate: 'Magdagdag ng kandidato',
      remove: 'Alisin',
      moveUp: 'Itaas',
      moveDown: 'Ibaba',
      removeWhat: (what: string) => `Alisin ang ${what}`,
      moveUpWhat: (what: string) => `Itaas ang ${what}`,
      moveDownWhat: (what: string) => `Ibaba ang ${what}`,
      save: 'I-save ang halalan',
      saving: 'Sine-save…',
      cancel: 'Kanselahin',
      fixErrors: (n: number) =>
        n === 1
          ? 'May isang field na kailangang ayusin.'
          : `May ${num(n)} na field na kailangang ayusin.`,
      draftOnly: 'Draft lamang ang maaaring i-edit.',
      allowAbstain: 'Mag-alok ng pagpipiliang "Mag-abstain"',
      allowlist: 'Mga pinapayagang botante (opsiyonal)',
      allowlistHint:
        'Isa bawat linya: isang email (ana@school.edu) o buong domain (@school.edu). Kung walang laman: puwedeng bumoto ang bawat naka-sign in na account.',
      allowlistBad: (entries: string[]) =>
        `Hindi email o @domain: ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? '…' : ''}`,
      rollHint:
        'Pagkatapos mag-save, idagdag ang roll ng botante sa console ng halalan at maglabas ng mga ballot code.',
      issues: {
        electionTitleRequired: 'Lagyan ng pamagat ang halalan.',
        positionTitleRequired: 'Lagyan ng pangalan ang posisyong ito.',
        candidateNameRequired: 'Lagyan ng pangalan ang kandidatong ito.',
        required: (field: string) => `Punan ang “${field}”.`,
        visible: (field: string) =>
          `Kailangang may nakikitang titik, numero o simbolo ang “${field}”.`,
        characters: (field: string) =>
          `May mga karakter sa “${field}” na hindi puwede rito, gaya ng bagong linya.`,
        tooLong: (field: string, max: number) =>
          `Hanggang ${num(max)} na karakter lamang ang “${field}”.`,
        duplicateName: (n: number) =>
          `Ganito rin ang pangalan ng kandidato ${num(n)} ng posisyong ito.`,
        url: (field: string) =>
          `Dapat ay web address na nagsisimula sa http:// o https:// ang “${field}”.`,
        closesAfterOpens: (closes: string, opens: string) =>
          `Dapat ay mas huli ang “${closes}” kaysa sa “${opens}”.`,
        inFuture: (field: string) => `Dapat ay nasa hinaharap ang “${field}”.`,
        dateRange: (field: string) =>
          `Dapat ay petsa sa pagitan ng taong 2000 at 2999 ang “${field}”.`,
        date: (field: string) => `Ilagay ang buong petsa at oras sa “${field}”.`,
        atMostCandidates: (field: string, n: number) =>
          `Hindi maaaring lumampas ang “${field}” sa bilang ng mga kandidato (${num(n)}).`,
        atLeast: (field: string, min: number) =>
          `Dapat ay hindi bababa sa ${num(min)} ang “${field}”.`,
        atMost: (field: string, max: number) =>
          `Dapat ay hindi hihigit sa ${num(max)} ang “${field}”.`,
        wholeNumber: (field: string) => `Maglagay ng buong numero sa “${field}”.`,
        choose: (field: string) => `Pumili ng isa sa mga pagpipilian sa “${field}”.`,
        noPositions: 'Magdagdag ng kahit isang posisyon.',
        tooManyPositions: (max: number) =>
          `Hanggang ${num(max)} na posisyon lamang ang maaaring ilagay sa isang halalan.`,
        noCandidates: 'Magdagdag ng kahit isang kandidato sa posisyong ito.',
        tooManyCandidates: (max: number) =>
          `Hanggang ${num(max)} na kandidato lamang ang maaaring ilagay sa isang posisyon.`,
        check: (field: string) => `Suriin ang “${field}”.`,
        checkForm: 'May kailangang ayusin sa form. Suriin ang mga field at subukang muli.',
      },
    },

    detail: {
      readOnly: (status: string) => `${status}: hindi na maaaring i-edit ang halalang ito.`,
      readOnlyWhy:
        'Draft lamang ang maaaring i-edit, para iisang balota ang makita ng bawat botante. Ipinapakita sa ibaba ang laman nito, pangbasa lamang.',
      readOnlyLabel: 'Ang halalan sa kasalukuyan, pangbasa lamang',
      backToConsole: 'Bumalik sa halalan',
      duplicate: 'Gumawa ng kopya',
      unschedule: 'Alisin sa iskedyul',
      confirmUnschedule:
        'Ibalik sa draft ang halalang ito? Hindi ito magbubukas hangga’t hindi mo ito muling iniiskedyul o binubuksan.',
      deleteTitle: (title: string) => `Burahin ang “${title}”?`,
      deleteLeadDraft: 'Tuluyang buburahin ang draft.',
      deleteLeadClosed:
        'Tuluyang buburahin ang halalan, ang mga balota at ang resulta nito. I-download muna ang resulta kung kailangan mo:',
      deleteConfirm: 'Tuluyang burahin',
      turnout: 'Bilang ng bumoto',
      turnoutValue: (cast: number, eligible: number) =>
        `${num(cast)} / ${num(eligible)}${eligible > 0 ? ` (${Math.round((cast / eligible) * 100)}%)` : ''} ang bumoto`,
      joinCode: 'Join code',
      joinLink: 'Link para sa botante',
      openNow: 'Buksan ngayon',
      schedule: 'Itakda ang pagbubukas',
      closeNow: 'Isara ngayon',
      confirmClose: 'Isara na ang botohan? Wala nang tatanggaping balota pagkatapos nito.',
      edit: 'I-edit',
      delete: 'Burahin',
      confirmDelete: 'Tuluyang burahin ang halalang ito?',
      openBoard: 'Buksan ang board',
      monitor: 'Live na monitor',
      participation: 'Pakikilahok',
      ballotsPerMinute: 'Mga balota sa huling minuto',
      votesInPosition: 'Mga botong naibigay sa posisyong ito',
      votersInPosition: (voters: number, ballots: number) =>
        `${num(voters)} sa ${num(ballots)} botante ang may pinili`,
      finalResults: 'Pinal na resulta',
      ranking: 'Ranggo',
      exportCsv: 'I-export bilang CSV',
      exportJson: 'I-export bilang JSON',
      audit: 'Muling bilang (audit)',
      auditRunning: 'Binibilang muli…',
      auditMatch: (ballots: number) =>
        `Tugma ang muling bilang sa mga counter: ${num(ballots)} balota, walang pagkakaiba.`,
      auditMismatch: (n: number) =>
        `Hindi tugma ang muling bilang sa mga counter sa ${num(n)} bahagi.`,
      auditCounter: 'Counter',
      auditRecount: 'Muling bilang',
      scheduled: (when: string) => `Nakatakdang magbukas ${when}`,
      closesAt: (when: string) => `Magsasara ${when}`,
      opensAt: (when: string) => `Magbubukas ${when}`,
    },
  },

  errors: {
    network: 'Hindi maabot ang Tallyboard. Suriin ang iyong koneksiyon at subukang muli.',
    generic: 'May nangyaring mali. Pakisubukang muli.',
    byCode: {
      bad_json: 'Mali ang anyo ng kahilingan.',
      bad_request: 'Hindi naunawaan ang kahilingan.',
      unauthorized: 'Paki-sign in muna.',
      invalid_code: 'Hindi wasto ang ballot code na ito: hindi kilala, nagamit na, o pinalitan na.',
      forbidden: 'Hindi ka pinapayagang gawin ito.',
      account_blocked: 'Naka-block ang account na ito. Makipag-ugnayan sa isang administrator.',
      password_change_required: 'Palitan muna ang pansamantalang password para makapagpatuloy.',
      not_on_allowlist: 'Wala ang account na ito sa listahan ng mga botante ng halalang ito.',
      not_open: 'Hindi bukas ang halalang ito para bumoto.',
      results_hidden: 'Hindi pa maaaring makita ang resulta.',
      not_found: 'Hindi makita.',
      already_voted: 'Nakaboto ka na sa halalang ito.',
      conflict: 'Salungat ito sa kasalukuyang kalagayan. I-reload at subukang muli.',
      not_draft: 'Draft na halalan lamang ang maaaring baguhin.',
      last_admin: 'Ito ang huling administrator: mag-promote muna ng ibang account.',
      payload_too_large: 'Masyadong malaki ito para maipadala.',
      invalid: 'May mga field na hindi wasto.',
      rate_limited: 'Masyadong maraming kahilingan. Maghintay sandali at subukang muli.',
      internal: 'Nagkaproblema ang server. Pakisubukang muli.',
      unavailable: 'Abala ang serbisyo. Pakisubukang muli mamaya.',
      master_unavailable:
        'Sandaling nakahinto ang botohan. Hindi pa nabilang ang iyong balota: subukang muli mamaya.',
    },
  },
};
