// Countries with their international dialing codes, for the phone screen's picker. Names come from the
// browser (Intl.DisplayNames) in the page's language, so no name table ships in the bundle.

// ISO 3166-1 alpha-2 followed by the ITU-T E.164 country calling code, comma separated.
const TABLE =
  'AD376,AE971,AF93,AG1,AI1,AL355,AM374,AO244,AR54,AS1,AT43,AU61,AW297,AX358,AZ994,BA387,BB1,BD880,BE32,BF226,' +
  'BG359,BH973,BI257,BJ229,BL590,BM1,BN673,BO591,BQ599,BR55,BS1,BT975,BW267,BY375,BZ501,CA1,CC61,CD243,CF236,' +
  'CG242,CH41,CI225,CK682,CL56,CM237,CN86,CO57,CR506,CU53,CV238,CW599,CX61,CY357,CZ420,DE49,DJ253,DK45,DM1,DO1,' +
  'DZ213,EC593,EE372,EG20,EH212,ER291,ES34,ET251,FI358,FJ679,FK500,FM691,FO298,FR33,GA241,GB44,GD1,GE995,GF594,' +
  'GG44,GH233,GI350,GL299,GM220,GN224,GP590,GQ240,GR30,GT502,GU1,GW245,GY592,HK852,HN504,HR385,HT509,HU36,ID62,' +
  'IE353,IL972,IM44,IN91,IO246,IQ964,IR98,IS354,IT39,JE44,JM1,JO962,JP81,KE254,KG996,KH855,KI686,KM269,KN1,KP850,' +
  'KR82,KW965,KY1,KZ7,LA856,LB961,LC1,LI423,LK94,LR231,LS266,LT370,LU352,LV371,LY218,MA212,MC377,MD373,ME382,' +
  'MF590,MG261,MH692,MK389,ML223,MM95,MN976,MO853,MP1,MQ596,MR222,MS1,MT356,MU230,MV960,MW265,MX52,MY60,MZ258,' +
  'NA264,NC687,NE227,NF672,NG234,NI505,NL31,NO47,NP977,NR674,NU683,NZ64,OM968,PA507,PE51,PF689,PG675,PH63,PK92,' +
  'PL48,PM508,PR1,PS970,PT351,PW680,PY595,QA974,RE262,RO40,RS381,RU7,RW250,SA966,SB677,SC248,SD249,SE46,SG65,' +
  'SH290,SI386,SJ47,SK421,SL232,SM378,SN221,SO252,SR597,SS211,ST239,SV503,SX1,SY963,SZ268,TC1,TD235,TG228,TH66,' +
  'TJ992,TK690,TL670,TM993,TN216,TO676,TR90,TT1,TV688,TW886,TZ255,UA380,UG256,US1,UY598,UZ998,VA39,VC1,VE58,VG1,' +
  'VI1,VN84,VU678,WF681,WS685,XK383,YE967,YT262,ZA27,ZM260,ZW263';

export interface Country {
  code: string;
  dial: string;
}

export const COUNTRIES: readonly Country[] = TABLE.split(',').map((entry) => ({ code: entry.slice(0, 2), dial: entry.slice(2) }));

export function dialCodeOf(code: string): string | null {
  return COUNTRIES.find((c) => c.code === code.toUpperCase())?.dial ?? null;
}

/** Countries sorted by their name in `language`; the name falls back to the code where Intl has none. */
export function countryOptions(language: string): { code: string; dial: string; name: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([language], { type: 'region' });
  } catch {
    names = null;
  }
  const collator = new Intl.Collator(language);
  return COUNTRIES.map((c) => ({ ...c, name: names?.of(c.code) ?? c.code })).sort((a, b) => collator.compare(a.name, b.name));
}

const LANGUAGE_COUNTRY: Record<string, string> = { en: 'GB', es: 'ES', fr: 'FR', de: 'DE', sv: 'SE', pt: 'PT' };

/** A sensible default: the region of the browser's first language tag that names one, else the page language's country. */
export function guessCountry(browserLanguages: readonly string[], pageLanguage: string): string {
  for (const tag of browserLanguages) {
    const region = /^[a-z]{2,3}[-_]([A-Za-z]{2})\b/.exec(tag)?.[1]?.toUpperCase();
    if (region && dialCodeOf(region)) return region;
  }
  return LANGUAGE_COUNTRY[pageLanguage] ?? 'GB';
}

/**
 * The number the applicant typed, in E.164. A number written with its own `+` or `00` prefix keeps it;
 * otherwise the country's code is put in front and a national trunk `0` dropped. Null if it can't be a number.
 */
export function toE164(input: string, dial: string): string | null {
  const trimmed = input.trim();
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('00')) digits = digits.slice(2);
  if (!international) digits = dial + digits.replace(/^0+/, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  return `+${digits}`;
}
