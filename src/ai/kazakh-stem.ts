// A small Kazakh suffix stripper (no maintained Kazakh stemmer exists). Kazakh stacks suffixes
// in a fixed order — stem + plural + possessive + case (+ predicate) — so we peel them from the
// end, longest first, in that order, keeping a stem of at least MIN_STEM letters. It aims at
// what customers write to a business: «бағасы», «бағасын», «операторға», «мекенжайыңыз»,
// «жеткізесіздер», «төлеуге» → «баға», «оператор», «мекенжай», «жеткіз», «төле».

const MIN_STEM = 3;

const sortLongestFirst = (xs: string[]) => [...new Set(xs)].sort((a, b) => b.length - a.length);

/** Personal endings of verbs and predicates, and verb forms (polite imperative, verbal noun). */
const VERB = sortLongestFirst([
  'атынсыздар', 'етінсіздер', 'йтынсыздар', 'йтінсіздер', 'асыздар', 'есіздер', 'йсыздар', 'йсіздер', 'сыздар', 'сіздер',
  'атынсыз', 'етінсіз', 'асыз', 'есіз', 'йсыз', 'йсіз', 'сыз', 'сіз', 'амын', 'емін', 'ймын', 'ймін', 'мын', 'мін',
  'амыз', 'еміз', 'ймыз', 'йміз', 'мыз', 'міз', 'ады', 'еді', 'йды', 'йді', 'ылады', 'іледі', 'лады', 'леді', 'нады', 'неді',
  'ыңызшы', 'іңізші', 'ңызшы', 'ңізші', 'ыңыз', 'іңіз', 'ңыз', 'ңіз', 'ыңдар', 'іңдер', 'шы', 'ші',
  'ған', 'ген', 'қан', 'кен', 'атын', 'етін', 'йтын', 'йтін', 'уге', 'уға', 'уды', 'уді', 'удың', 'удің', 'уда', 'уде', 'удан', 'уден', 'уы', 'уі', 'у',
  'ып', 'іп', 'п', 'са', 'се', 'сам', 'сем', 'сақ', 'сек', 'саңыз', 'сеңіз', 'саң', 'сең',
  // «-ғым келеді» (I want to), «-айын» (let me).
  'ғым', 'гім', 'қым', 'кім', 'ғың', 'гің', 'ғыңыз', 'гіңіз', 'ғысы', 'гісі', 'айын', 'ейін', 'йын', 'йін',
]);

/** Case endings. */
const CASE = sortLongestFirst([
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'ға', 'ге', 'қа', 'ке', 'на', 'не', 'ны', 'ні', 'ды', 'ді', 'ты', 'ті',
  'нда', 'нде', 'да', 'де', 'та', 'те', 'нан', 'нен', 'дан', 'ден', 'тан', 'тен', 'мен', 'бен', 'пен', 'ын', 'ін', 'н',
  // The third person's possessive with a case: «бағасын», «бағасына», «құнында».
  'сын', 'сін', 'сына', 'сіне', 'сында', 'сінде', 'сынан', 'сінен', 'сының', 'сінің', 'ына', 'іне', 'ында', 'інде', 'ынан', 'інен',
]);

/** Possessive endings (my, your, his/her, our). */
const POSSESSIVE = sortLongestFirst([
  'ыңыз', 'іңіз', 'ңыз', 'ңіз', 'ымыз', 'іміз', 'мыз', 'міз', 'сы', 'сі', 'ым', 'ім', 'ың', 'ің', 'ы', 'і', 'м', 'ң',
]);

/** Plural endings. */
const PLURAL = ['лар', 'лер', 'дар', 'дер', 'тар', 'тер'];

const VOWELS = /[аәеиоөұүыіуэюяё]/;

const LAYERS = [VERB, CASE, POSSESSIVE, PLURAL];

const stemOk = (rest: string) => rest.length >= MIN_STEM && VOWELS.test(rest);

/**
 * Every stem the word may have: peeling is ambiguous («уақыты» is «уақыт» + possessive, but
 * «-ты» is also a case ending), so all readings are kept, the word itself first. Two words are
 * forms of one another when one's candidates contain the other's base form.
 */
export function kazakhStems(word: string): string[] {
  const out = new Set<string>([word]);
  const walk = (w: string, layer: number) => {
    for (let l = layer; l < LAYERS.length; l++) {
      for (const s of LAYERS[l]) {
        if (!w.endsWith(s)) continue;
        const rest = w.slice(0, -s.length);
        if (!stemOk(rest) || out.has(rest)) continue;
        out.add(rest);
        walk(rest, l + 1);
      }
    }
  };
  walk(word, 0);
  // A final к/қ/п voices before a vowel suffix: «кепілдік» → «кепілдігі», «тұрақ» → «тұрағы».
  for (const w of [...out]) {
    const unvoiced = w.replace(/г$/, 'к').replace(/ғ$/, 'қ').replace(/б$/, 'п');
    if (unvoiced !== w && w !== word) out.add(unvoiced);
  }
  return [...out];
}

/** The shortest-but-sure stem: the greedy reading (longest suffix of each layer in turn). */
export function kazakhStem(word: string): string {
  let w = word;
  for (const layer of LAYERS) {
    const s = layer.find((x) => w.endsWith(x) && stemOk(w.slice(0, -x.length)));
    if (s) w = w.slice(0, -s.length);
  }
  return w;
}
