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
  },

  accessClosed: {
    open: 'Bukas ang botohan sa sinumang may link o code',
    accounts: 'Para lamang sa mga rehistradong botante ang botohan',
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
  },

  auth: {
    sessionNotKept:
      'Tama ang iyong password, pero hindi itinago ng browser na ito ang pag-sign in, kaya ' +
      'malo-log out ka agad. Nangyayari ito kapag naka-block ang cookies para sa site na ito, o ' +
      'kapag akala ng server ay HTTPS ang koneksiyon pero HTTP ang gamit ng browser (maling ' +
      'setting ng proxy). Payagan ang cookies para sa site na ito, o buksan ang Tallyboard sa ' +
      'address na ibinigay ng operator (https:// kung mayroon).',
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
      forbidden: 'Hindi ka pinapayagang gawin ito.',
      not_open: 'Hindi bukas ang halalang ito para bumoto.',
      results_hidden: 'Hindi pa maaaring makita ang resulta.',
      not_found: 'Hindi makita.',
      already_voted: 'Nakaboto ka na sa halalang ito.',
      conflict: 'Salungat ito sa kasalukuyang kalagayan. I-reload at subukang muli.',
      not_draft: 'Draft na halalan lamang ang maaaring baguhin.',
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
