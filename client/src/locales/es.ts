// Spanish, neutral and plain, as a student or union election would put it to its voters.
import { LIMITS } from '@tallyboard/shared';
import type { Translation } from '../i18n';
import { num } from '../locale';

export const es: Translation = {
  appName: 'Tallyboard',
  nav: {
    join: 'Entrar',
    receipt: 'Verificar un comprobante',
    admin: 'Administración',
    main: 'Principal',
  },
  skipToContent: 'Saltar al contenido',
  loading: 'Cargando…',
  retry: 'Reintentar',
  back: 'Volver',
  close: 'Cerrar',
  cancel: 'Cancelar',
  notFoundTitle: 'Página no encontrada',
  notFoundBody: 'Esta dirección no lleva a ninguna parte de Tallyboard.',
  goHome: 'Ir a la página de inicio',

  connection: {
    label: 'Conexión',
    connecting: 'Conectando…',
    live: 'En directo',
    reconnecting: 'Reconectando…',
    offline: 'Sin conexión',
  },

  status: {
    draft: 'Borrador',
    scheduled: 'Programada',
    open: 'Abierta',
    closed: 'Cerrada',
  },

  visibility: {
    live: 'En directo: todos ven los resultados durante la votación',
    after_close: 'Al cierre: los resultados aparecen cuando termina la votación',
    admin_only: 'Solo administradores',
  },

  access: {
    open: 'Abierta: cualquiera con el enlace o el código',
    accounts: 'Cuentas: solo votantes registrados',
    roll: 'Padrón: solo quienes están en el padrón, una vez cada uno, con un código de votación',
  },

  accessClosed: {
    open: 'La votación estaba abierta a cualquiera con el enlace o el código',
    accounts: 'La votación era solo para votantes registrados',
    roll: 'La votación era para las personas del padrón',
  },

  language: {
    label: 'Idioma',
  },

  countdown: {
    opensIn: 'Abre en',
    closesIn: 'Cierra en',
    now: 'en cualquier momento',
    days: (d: number) => `${num(d)} d`,
    opensAt: (when: string) => `Abre: ${when}`,
    closesAt: (when: string) => `Cierra: ${when}`,
  },

  join: {
    title: 'Entrar a una votación',
    lead: 'Escribe el código que muestra la organización o abre el enlace que compartieron.',
    codeLabel: 'Código de acceso',
    codeHint: 'De 4 a 12 letras o cifras',
    submit: 'Entrar',
    invalidCode: 'Un código de acceso tiene de 4 a 12 letras o cifras.',
    unknownCode: 'Ninguna elección tiene este código. Revísalo e inténtalo de nuevo.',
    checking: 'Buscando la elección…',
  },

  vote: {
    sealing: 'Sellando tu papeleta junto con otras…',
    ballotHeading: 'Tu papeleta',
    selectUpTo: (n: number) => (n === 1 ? 'Elige una opción' : `Elige hasta ${num(n)}`),
    counter: (selected: number, max: number) =>
      `${num(selected)} de ${num(max)} ${selected === 1 ? 'elegido' : 'elegidos'}`,
    limitReached: (max: number) =>
      `Límite alcanzado: quita un candidato para elegir otro (máximo ${num(max)}).`,
    clear: 'Quitar la selección',
    review: 'Revisar mi papeleta',
    reviewHeading: 'Revisa tu papeleta',
    reviewLead: 'Comprueba tus opciones. Una vez enviada, la papeleta no se puede cambiar.',
    noSelection: 'Sin selección (en blanco)',
    edit: 'Cambiar mis opciones',
    submit: 'Enviar mi papeleta',
    submitting: 'Enviando…',
    blankWarning: 'Tu papeleta está en blanco: no has elegido a nadie en ningún cargo.',
    partialWarning: (titles: string[]) =>
      `No has elegido a nadie para: ${titles.join(', ')}. Esos cargos contarán como voto en blanco.`,
    confirmEmpty: 'Lo entiendo, enviarla de todos modos',
    receiptHeading: 'Tu voto está contado',
    firstBallotStands: 'Ya votaste: vale tu primera papeleta',
    firstBallotStandsLead:
      'Este navegador ya envió una papeleta en esta elección y solo cuenta la primera: las opciones que acabas de marcar no se registraron. El comprobante de tu primera papeleta:',
    receiptLead:
      'Guarda este código de comprobante: te permite verificar que tu papeleta está en el recuento.',
    receiptLabel: 'Código de comprobante',
    copy: 'Copiar',
    copied: 'Copiado',
    copyFailed: 'No se pudo copiar: selecciona el código y cópialo a mano.',
    checkReceipt: 'Verificar este comprobante',
    alreadyVoted: 'Ya has votado en esta elección desde este navegador o esta cuenta.',
    notOpenYet: 'La votación aún no ha empezado.',
    closed: 'La votación ha terminado.',
    draft: 'Esta elección aún no está publicada.',
    liveResults: 'Resultados en directo',
    finalResults: 'Resultados finales',
    resultsAfterClose: 'Los resultados se mostrarán cuando termine la votación.',
    resultsHidden: 'Los resultados de esta elección no son públicos.',
    accountsRequired:
      'Esta elección es para votantes registrados. Inicia sesión o crea una cuenta.',
    signedInAs: (name: string) => `Sesión iniciada como ${name}`,
    signOut: 'Cerrar sesión',
    networkRetry:
      'Puede que tu papeleta no nos haya llegado. Envíala de nuevo: no se contará dos veces.',
    positionsCount: (n: number) => (n === 1 ? '1 cargo' : `${num(n)} cargos`),
    candidatePhoto: (name: string) => `Foto de ${name}`,
    abstain: 'Abstenerme',
    abstainHint: 'Elige esto para abstenerte a propósito: cuenta como abstención, no como blanco.',
    abstained: 'Abstención',
    codeTitle: 'Escribe tu código de papeleta',
    codeLead: 'Escribe el código impreso en tu papeleta de votación.',
    codeLabel: 'Código de papeleta',
    codeSubmit: 'Continuar',
    checkingCode: 'Comprobando tu código…',
    codeInvalid:
      'Este código ya se usó o no es válido. Cada código sirve una sola vez: si se usó en otro dispositivo, cuenta la papeleta enviada allí. Si no has votado, pide un código nuevo a la organización.',
    codeLimited: (seconds: number) =>
      `Demasiados códigos erróneos desde esta red. Espera ${num(seconds)} segundos y vuelve a intentarlo.`,
    rollSignIn: '¿Tu correo está en el padrón? Inicia sesión en su lugar',
    rollSignInLead: 'Inicia sesión con la cuenta cuyo correo la organización puso en el padrón.',
    useCodeInstead: 'Usar un código de papeleta',
    youHaveVoted: 'Ya has votado en esta elección. ¡Gracias!',
    notOnAllowlist: 'Esta cuenta no está en la lista de votantes de esta elección.',
    notOnRoll:
      'Esta cuenta no está en el padrón de esta elección. Usa el código de papeleta de tu hoja.',
  },

  auth: {
    sessionNotKept:
      'Tu contraseña es correcta, pero este navegador no guardó la sesión, así que se cerraría ' +
      'al instante. Ocurre cuando las cookies están bloqueadas para este sitio, o cuando el ' +
      'servidor cree que la conexión es HTTPS mientras el navegador usa HTTP (un proxy mal ' +
      'configurado). Permite las cookies para este sitio, o abre Tallyboard en la dirección que ' +
      'te dio el operador (https:// si se ofrece).',
    blocked: 'Esta cuenta está bloqueada. Consulta a un administrador si crees que es un error.',
    blockedNow:
      'Esta cuenta ha sido bloqueada: esta página ya no tiene acceso. Consulta a un administrador si crees que es un error.',
    signedOutNow: 'Se cerró tu sesión: esta página ya no tiene acceso. Vuelve a iniciar sesión.',
    changePasswordTitle: 'Elige una contraseña nueva',
    changePasswordLead:
      'Has iniciado sesión con una contraseña temporal. Elige la tuya para continuar.',
    newPassword: 'Contraseña nueva',
    repeatPassword: 'Repite la contraseña nueva',
    passwordsDiffer: 'Las dos contraseñas no coinciden.',
    changePassword: 'Guardar la contraseña nueva',
    signIn: 'Iniciar sesión',
    register: 'Crear una cuenta',
    email: 'Correo electrónico',
    password: 'Contraseña',
    name: 'Tu nombre',
    switchToRegister: '¿Aún no tienes cuenta? Crea una',
    switchToSignIn: '¿Ya estás registrado? Inicia sesión',
    working: 'Un momento…',
    passwordHint: `Al menos ${LIMITS.password.min} caracteres`,
    wrongCredentials: 'Correo o contraseña incorrectos.',
  },

  receipt: {
    title: 'Verificar un comprobante',
    lead: 'Introduce el código de la elección y tu código de comprobante para confirmar que tu papeleta está contada.',
    codeLabel: 'Código de acceso de la elección',
    receiptLabel: 'Código de comprobante',
    submit: 'Verificar',
    counted: 'Confirmado: esta papeleta está en el recuento.',
    noSuchReceipt:
      'Ninguna papeleta de esta elección tiene este comprobante. Revísalo: un comprobante tiene 16 letras y cifras.',
    unknownElection: 'Ninguna elección tiene este código de acceso. Revísalo e inténtalo de nuevo.',
    electionLine: (title: string) => `Elección: ${title}`,
  },

  tally: {
    noBallots: 'No se emitió ninguna papeleta: no hay ganadores.',
    noVotesInPosition: 'Ningún voto en este cargo: no hay ganador.',
    ballots: 'Papeletas',
    viewers: 'Mirando',
    votes: (n: number) => (n === 1 ? '1 voto' : `${num(n)} votos`),
    percentOfBallots: 'de las papeletas',
    winner: 'Elegido',
    tie: 'Empate',
    tieNote: 'Empate por un puesto ganador: deciden las normas de la elección.',
    rank: 'Puesto',
    votesHeader: 'Votos',
    candidateHeader: 'Candidatura',
    noResults: 'Aún no hay resultados.',
    winnersCount: (n: number) => (n === 1 ? '1 puesto' : `${num(n)} puestos`),
    barLabel: (name: string, votes: number, pct: string) =>
      `${name}: ${votes === 1 ? '1 voto' : `${num(votes)} votos`}, ${pct}`,
    abstained: 'Abstenciones',
    blank: 'En blanco (sin marcar)',
  },

  board: {
    curtain: 'Los resultados están ocultos por ahora.',
    controls: 'Controles del presentador',
    hideResults: 'Ocultar resultados (H)',
    revealResults: 'Mostrar resultados (H)',
    winnersSlide: 'Ganadores (W)',
    backToBars: 'Volver a las barras (W)',
    showJoin: 'Mostrar código de acceso (Q)',
    hideJoin: 'Ocultar código de acceso (Q)',
    winnersTitle: 'Ganadores',
    tiedForSeat: (names: string[]) => `Empate por el último puesto: ${names.join(', ')}`,
    ofEligible: (n: number) => `de ${n} con derecho a voto`,
    pageOf: (first: number, last: number, total: number) => `${first}-${last} de ${total}`,
    scanToVote: 'Escanea para votar',
    orGoTo: 'o entra en',
    code: 'Código',
    position: (i: number, n: number) => `Cargo ${num(i)} de ${num(n)}`,
    prev: 'Cargo anterior',
    next: 'Cargo siguiente',
    fullscreen: 'Pantalla completa (F)',
    theme: 'Cambiar a claro u oscuro (T)',
    keysHelp: 'F pantalla completa · ← → cargo · T tema',
    hidden: 'Los resultados aparecerán aquí cuando cierre la votación.',
    adminOnly: 'Los resultados de esta elección solo se muestran a la administración.',
    finalBanner: 'Resultados finales',
    positionsNav: 'Cargos',
  },

  admin: {
    title: 'Administración',
    signInTitle: 'Inicia sesión en la administración de Tallyboard',
    notAdmin: 'Esta cuenta no es de administración.',
    elections: 'Elecciones',
    newElection: 'Nueva elección',
    noElections: 'Aún no hay elecciones. Crea la primera.',
    columns: {
      title: 'Título',
      code: 'Código',
      status: 'Estado',
      ballots: 'Papeletas',
      actions: 'Acciones',
    },
    manage: 'Gestionar',
    board: 'Pantalla',
    signOut: 'Cerrar sesión',
    allElections: 'Todas las elecciones',
    sections: 'Secciones de la consola',
    roll: {
      title: 'Padrón electoral',
      lead: 'Solo votan las personas de este padrón, una vez cada una, con un código de papeleta de un solo uso (o iniciando sesión con el correo del padrón).',
      count: (n: number) =>
        n === 1 ? '1 votante en el padrón' : `${num(n)} votantes en el padrón`,
      votedCount: (voted: number, total: number) => `${num(voted)} de ${num(total)} han votado`,
      importTitle: 'Añadir votantes desde un CSV',
      importHint:
        'Un votante por línea: ref,nombre,correo (el correo es opcional). Se omite una línea de encabezado "ref,name,email".',
      paste: 'Pega el CSV',
      upload: 'O elige un archivo CSV',
      previewCaption: 'Los primeros votantes que se añadirán',
      ready: (n: number) =>
        n === 1 ? '1 votante listo para añadir' : `${num(n)} votantes listos para añadir`,
      andMore: (n: number) => `y ${num(n)} más`,
      skipped: (n: number) => (n === 1 ? 'Se omitirá 1 línea:' : `Se omitirán ${num(n)} líneas:`),
      duplicateLine: (ref: string, line: number, first: number) =>
        `Línea ${num(line)}: la ref «${ref}» ya está en la línea ${num(first)}.`,
      problemLine: (line: number, what: string) => `Línea ${num(line)}: ${what}.`,
      problems: {
        noRef: 'falta la ref',
        noName: 'falta el nombre',
        badEmail: 'el correo no es una dirección válida',
        tooManyColumns: 'más de tres columnas',
      },
      addVoters: (n: number) => (n === 1 ? 'Añadir 1 votante' : `Añadir ${num(n)} votantes`),
      adding: 'Añadiendo…',
      added: (n: number) => (n === 1 ? '1 votante añadido.' : `${num(n)} votantes añadidos.`),
      alreadyOnRoll: (n: number) =>
        n === 1
          ? '1 ref ya estaba en el padrón y no se añadió de nuevo:'
          : `${num(n)} refs ya estaban en el padrón y no se añadieron de nuevo:`,
      addOneTitle: 'Añadir un votante',
      emailOptional: 'Correo (opcional)',
      add: 'Añadir',
      search: 'Buscar por ref, nombre o correo',
      paging: 'Páginas del censo',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} de ${num(total)}`,
      prev: 'Anterior',
      next: 'Siguiente',
      columns: {
        select: 'Seleccionar',
        ref: 'Ref.',
        name: 'Nombre',
        email: 'Correo',
        voted: 'Votó',
        code: 'Código de papeleta',
      },
      voted: 'Votó',
      notVoted: 'Aún no',
      codeState: { none: 'Ninguno', issued: 'Emitido', used: 'Usado' },
      remove: 'Quitar',
      confirmRemove: (name: string) => `¿Quitar a ${name} del padrón?`,
      selectEntry: (name: string) => `Seleccionar a ${name}`,
      empty: 'Todavía no hay nadie en el padrón.',
      locked:
        'Solo se pueden añadir o quitar votantes mientras la elección es un borrador o está programada.',
      issueNew: 'Emitir códigos para quien no tiene',
      reissue: (n: number) => `Volver a emitir códigos para ${num(n)} seleccionados`,
      confirmReissue: (n: number) =>
        `¿Emitir códigos nuevos para ${num(n)} votantes? Sus códigos anteriores dejan de funcionar.`,
      issuing: 'Emitiendo…',
      exportRegister: 'Exportar el registro de votantes (CSV)',
    },
    codes: {
      title: (n: number) =>
        n === 1 ? '1 código de papeleta nuevo' : `${num(n)} códigos de papeleta nuevos`,
      once: 'Estos códigos solo se muestran ahora: descárgalos o imprime las papeletas antes de salir de esta página. Un código perdido se puede volver a emitir (el anterior deja de funcionar).',
      download: 'Descargar los códigos (CSV)',
      print: 'Papeletas imprimibles',
      hide: 'Ocultar los códigos',
      confirmHide: '¿Ocultar los códigos? No se podrán mostrar de nuevo, solo volver a emitir.',
      noneToIssue:
        'Todos los votantes del padrón ya tienen un código. Selecciona votantes para volver a emitir los suyos.',
    },
    slips: {
      title: 'Papeletas con código',
      paper: 'Papel',
      a4: 'A4 (ISO)',
      letter: 'Carta (EE. UU.)',
      pageCount: (slips: number, pages: number) =>
        `${num(slips)} papeletas en ${num(pages)} página${pages === 1 ? '' : 's'}`,
      print: 'Imprimir',
      hint: 'En el diálogo de impresión, elige el mismo papel y escala al 100 %. Recorta por las líneas.',
      yourCode: 'Tu código de papeleta',
      once: 'Una papeleta por código. No compartas esta hoja.',
    },
    users: {
      title: 'Usuarios',
      search: 'Buscar por nombre o correo',
      columns: { name: 'Nombre', email: 'Correo', role: 'Rol', status: 'Estado' },
      role: { admin: 'Administrador', voter: 'Votante' },
      you: '(tú)',
      active: 'Activa',
      blocked: 'Bloqueada',
      block: 'Bloquear',
      unblock: 'Desbloquear',
      promote: 'Hacer administrador',
      demote: 'Hacer votante',
      temporaryPassword: 'Contraseña temporal',
      delete: 'Eliminar',
      confirmBlock: (email: string) =>
        `¿Bloquear ${email}? La cuenta se cierra en todas partes y no podrá iniciar sesión hasta que se desbloquee.`,
      confirmUnblock: (email: string) => `¿Desbloquear ${email}?`,
      confirmPromote: (email: string) => `¿Hacer administrador a ${email}?`,
      confirmDemote: (email: string) => `¿Hacer votante a ${email} (deja de ser administrador)?`,
      confirmTemporary: (email: string) =>
        `¿Poner una contraseña temporal a ${email}? Su contraseña actual deja de funcionar.`,
      temporaryShown: (email: string) =>
        `Contraseña temporal de ${email}, que solo se muestra ahora. Deberá elegir la suya al iniciar sesión:`,
      hideTemporary: 'Ocultarla',
      deleteTitle: (email: string) => `¿Eliminar la cuenta ${email}?`,
      deleteLead:
        'La cuenta se elimina para siempre. Si votó, su participación se conserva para que nadie vote dos veces; nada la vincula con una papeleta.',
      deleteConfirm: 'Eliminar la cuenta',
      empty: 'Ninguna cuenta coincide.',
      paging: 'Páginas de cuentas',
      range: (first: number, last: number, total: number) =>
        `${num(first)}-${num(last)} de ${num(total)}`,
      prev: 'Anterior',
      next: 'Siguiente',
    },

    builder: {
      anonymitySet: 'Papeletas selladas juntas (conjunto de anonimato)',
      anonymitySetHint:
        'Cada papeleta se guarda junto con al menos tantas otras, o tras unos segundos. Vacío: 1 para encuestas abiertas, 5 en los demás casos.',
      createTitle: 'Nueva elección',
      editTitle: 'Editar la elección',
      general: 'General',
      electionTitle: 'Título',
      description: 'Descripción',
      access: 'Quién puede votar',
      visibility: 'Quién ve los resultados',
      schedule: 'Calendario (opcional)',
      opensAt: 'Abre el',
      closesAt: 'Cierra el',
      scheduleHint: 'Déjalo vacío para abrir y cerrar a mano.',
      positions: 'Cargos',
      position: (i: number) => `Cargo ${num(i)}`,
      positionTitle: 'Nombre del cargo',
      maxSelections: 'Máximo de opciones',
      winners: 'Puestos a cubrir',
      candidates: 'Candidaturas',
      candidate: (i: number) => `Candidatura ${num(i)}`,
      candidateName: 'Nombre',
      candidateDescription: 'Descripción',
      photoUrl: 'URL de la foto',
      addPosition: 'Añadir cargo',
      addCandidate: 'Añadir candidatura',
      remove: 'Quitar',
      moveUp: 'Subir',
      moveDown: 'Bajar',
      removeWhat: (what: string) => `Quitar ${what}`,
      moveUpWhat: (what: string) => `Subir ${what}`,
      moveDownWhat: (what: string) => `Bajar ${what}`,
      save: 'Guardar la elección',
      saving: 'Guardando…',
      cancel: 'Cancelar',
      fixErrors: (n: number) =>
        n === 1 ? 'Hay un campo que revisar.' : `Hay ${num(n)} campos que revisar.`,
      draftOnly: 'Solo se puede editar un borrador.',
      allowAbstain: 'Ofrecer la opción «Abstenerme»',
      allowlist: 'Votantes permitidos (opcional)',
      allowlistHint:
        'Uno por línea: un correo (ana@escuela.edu) o un dominio entero (@escuela.edu). Vacío: puede votar cualquier cuenta con sesión iniciada.',
      allowlistBad: (entries: string[]) =>
        `No es un correo ni un @dominio: ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? '…' : ''}`,
      rollHint:
        'Después de guardar, añade el padrón en la consola de la elección y emite los códigos de papeleta.',
      issues: {
        electionTitleRequired: 'Ponle un título a la elección.',
        positionTitleRequired: 'Ponle un título a este puesto.',
        candidateNameRequired: 'Escribe el nombre de esta candidatura.',
        required: (field: string) => `Rellena «${field}».`,
        visible: (field: string) => `«${field}» necesita letras, números o símbolos visibles.`,
        characters: (field: string) =>
          `«${field}» contiene caracteres que no se admiten aquí, como un salto de línea.`,
        tooLong: (field: string, max: number) =>
          `«${field}» puede tener como máximo ${num(max)} caracteres.`,
        duplicateName: (n: number) =>
          `La candidatura ${num(n)} de este puesto ya tiene este nombre.`,
        url: (field: string) =>
          `«${field}» debe ser una dirección web que empiece por http:// o https://.`,
        closesAfterOpens: (closes: string, opens: string) =>
          `«${closes}» debe ser posterior a «${opens}».`,
        inFuture: (field: string) => `«${field}» debe ser una fecha futura.`,
        dateRange: (field: string) => `«${field}» debe ser una fecha entre los años 2000 y 2999.`,
        date: (field: string) => `Indica una fecha y hora completas en «${field}».`,
        atMostCandidates: (field: string, n: number) =>
          `«${field}» no puede superar el número de candidaturas (${num(n)}).`,
        atLeast: (field: string, min: number) => `«${field}» debe ser al menos ${num(min)}.`,
        atMost: (field: string, max: number) => `«${field}» debe ser como máximo ${num(max)}.`,
        wholeNumber: (field: string) => `Escribe un número entero en «${field}».`,
        choose: (field: string) => `Elige una de las opciones de «${field}».`,
        noPositions: 'Añade al menos un puesto.',
        tooManyPositions: (max: number) =>
          `Una elección puede tener como máximo ${num(max)} puestos.`,
        noCandidates: 'Añade al menos una candidatura a este puesto.',
        tooManyCandidates: (max: number) =>
          `Un puesto puede tener como máximo ${num(max)} candidaturas.`,
        check: (field: string) => `Revisa «${field}».`,
        checkForm:
          'Hay algo en el formulario que revisar. Comprueba los campos e inténtalo de nuevo.',
      },
    },

    detail: {
      readOnly: (status: string) => `${status}: esta elección ya no se puede editar.`,
      readOnlyWhy:
        'Solo un borrador se puede editar, para que cada votante vea la misma papeleta. Su contenido se muestra abajo, solo para lectura.',
      readOnlyLabel: 'La elección tal como está, solo lectura',
      backToConsole: 'Volver a la elección',
      duplicate: 'Duplicar',
      unschedule: 'Desprogramar',
      confirmUnschedule:
        '¿Devolver esta elección a borrador? No se abrirá hasta que la programes o la abras de nuevo.',
      deleteTitle: (title: string) => `¿Eliminar «${title}»?`,
      deleteLeadDraft: 'El borrador se elimina para siempre.',
      deleteLeadClosed:
        'La elección, sus papeletas y sus resultados se eliminan para siempre. Descarga antes los resultados si los necesitas:',
      deleteConfirm: 'Eliminar para siempre',
      turnout: 'Participación',
      turnoutValue: (cast: number, eligible: number) =>
        `${num(cast)} / ${num(eligible)}${eligible > 0 ? ` (${Math.round((cast / eligible) * 100)} %)` : ''}`,
      joinCode: 'Código de acceso',
      joinLink: 'Enlace para votar',
      openNow: 'Abrir ahora',
      schedule: 'Programar la apertura',
      closeNow: 'Cerrar ahora',
      confirmClose: '¿Cerrar la votación ahora? No se aceptará ninguna papeleta después.',
      edit: 'Editar',
      delete: 'Eliminar',
      confirmDelete: '¿Eliminar esta elección definitivamente?',
      openBoard: 'Abrir la pantalla',
      monitor: 'Seguimiento en directo',
      participation: 'Participación',
      ballotsPerMinute: 'Papeletas en el último minuto',
      votesInPosition: 'Votos emitidos en este cargo',
      votersInPosition: (voters: number, ballots: number) =>
        `${num(voters)} de ${num(ballots)} votantes eligieron a alguien`,
      finalResults: 'Resultados finales',
      ranking: 'Clasificación',
      exportCsv: 'Exportar CSV',
      exportJson: 'Exportar JSON',
      audit: 'Recuento de auditoría',
      auditRunning: 'Recontando…',
      auditMatch: (ballots: number) =>
        `El recuento coincide con los contadores: ${num(ballots)} papeletas, sin diferencias.`,
      auditMismatch: (n: number) =>
        `El recuento difiere de los contadores en ${num(n)} ${n === 1 ? 'punto' : 'puntos'}.`,
      auditCounter: 'Contador',
      auditRecount: 'Recuento',
      scheduled: (when: string) => `Apertura programada: ${when}`,
      closesAt: (when: string) => `Cierra: ${when}`,
      opensAt: (when: string) => `Abre: ${when}`,
    },
  },

  errors: {
    network: 'No se puede conectar con Tallyboard. Revisa tu conexión e inténtalo de nuevo.',
    generic: 'Algo ha fallado. Inténtalo de nuevo.',
    byCode: {
      bad_json: 'La solicitud estaba mal formada.',
      bad_request: 'No se entendió la solicitud.',
      unauthorized: 'Inicia sesión.',
      invalid_code:
        'Este código de votación no es válido: es desconocido, ya se usó o fue reemplazado.',
      forbidden: 'No tienes permiso para hacer esto.',
      account_blocked: 'Esta cuenta está bloqueada. Contacta a un administrador.',
      password_change_required: 'Cambia tu contraseña temporal para continuar.',
      not_on_allowlist: 'Esta cuenta no está en la lista de votantes de esta elección.',
      not_open: 'Esta elección no está abierta a votación.',
      results_hidden: 'Los resultados aún no son visibles.',
      not_found: 'No encontrado.',
      already_voted: 'Ya has votado en esta elección.',
      conflict: 'Esto choca con el estado actual. Recarga e inténtalo de nuevo.',
      not_draft: 'Solo se puede cambiar una elección en borrador.',
      last_admin: 'Es el último administrador: primero asciende a otra cuenta.',
      payload_too_large: 'Es demasiado grande para enviarlo.',
      invalid: 'Algunos campos no son válidos.',
      rate_limited: 'Demasiadas solicitudes. Espera un momento e inténtalo de nuevo.',
      internal: 'El servidor tuvo un problema. Inténtalo de nuevo.',
      unavailable: 'El servicio está ocupado. Inténtalo de nuevo en breve.',
      master_unavailable:
        'La votación está en pausa un momento. Tu voto aún no se contó: inténtalo de nuevo en breve.',
    },
  },
};
