// The words of the code messages, per language. {code} and {minutes} are filled in by renderOtpMessage.
export interface OtpWords {
  subject: string;
  intro: string;
  expiry: string;
  ignore: string;
  sms: string;
}

export const otpTranslations = {
  en: {
    subject: 'Your verification code',
    intro: 'Your verification code is:',
    expiry: 'It expires in {minutes} minutes.',
    ignore: 'If you did not ask for this code, you can ignore this message.',
    sms: 'Your verification code is {code}. It expires in {minutes} minutes. Do not share it.',
  },
  es: {
    subject: 'Tu código de verificación',
    intro: 'Tu código de verificación es:',
    expiry: 'Caduca en {minutes} minutos.',
    ignore: 'Si no has solicitado este código, puedes ignorar este mensaje.',
    sms: 'Tu código de verificación es {code}. Caduca en {minutes} minutos. No lo compartas.',
  },
  fr: {
    subject: 'Votre code de vérification',
    intro: 'Votre code de vérification est :',
    expiry: 'Il expire dans {minutes} minutes.',
    ignore: "Si vous n'avez pas demandé ce code, vous pouvez ignorer ce message.",
    sms: 'Votre code de vérification est {code}. Il expire dans {minutes} minutes. Ne le partagez pas.',
  },
  de: {
    subject: 'Ihr Bestätigungscode',
    intro: 'Ihr Bestätigungscode lautet:',
    expiry: 'Er läuft in {minutes} Minuten ab.',
    ignore: 'Wenn Sie diesen Code nicht angefordert haben, können Sie diese Nachricht ignorieren.',
    sms: 'Ihr Bestätigungscode lautet {code}. Er läuft in {minutes} Minuten ab. Geben Sie ihn nicht weiter.',
  },
  sv: {
    subject: 'Din verifieringskod',
    intro: 'Din verifieringskod är:',
    expiry: 'Den slutar gälla om {minutes} minuter.',
    ignore: 'Om du inte har bett om den här koden kan du bortse från meddelandet.',
    sms: 'Din verifieringskod är {code}. Den slutar gälla om {minutes} minuter. Dela den inte med någon.',
  },
  pt: {
    subject: 'O seu código de verificação',
    intro: 'O seu código de verificação é:',
    expiry: 'Expira em {minutes} minutos.',
    ignore: 'Se não pediu este código, pode ignorar esta mensagem.',
    sms: 'O seu código de verificação é {code}. Expira em {minutes} minutos. Não o partilhe.',
  },
} as const satisfies Record<string, OtpWords>;

export type OtpLanguage = keyof typeof otpTranslations;
