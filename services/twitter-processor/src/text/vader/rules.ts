/**
 * VADER's fixed rule vocabularies and constants, as in vaderSentiment 3.3.2
 * (vaderSentiment.py, MIT, C.J. Hutto): empirically derived intensities from
 * Hutto & Gilbert (2014). Kept verbatim so our scores can be compared with the
 * reference's figure for figure.
 */

/** Mean intensity change a booster ("very") or dampener ("kind of") adds. */
export const B_INCR = 0.293;
export const B_DECR = -0.293;
/** Mean intensity change of an ALL-CAPS word among lowercase ones. */
export const C_INCR = 0.733;
/** A negated word keeps 74 % of its intensity, with the opposite sign. */
export const N_SCALAR = -0.74;
/** compound = s / sqrt(s² + ALPHA): ALPHA approximates the largest expected sum. */
export const ALPHA = 15;
/** Each "!" (up to 4) adds this to the sum's magnitude. */
export const EXCLAMATION_INCR = 0.292;
export const MAX_EXCLAMATIONS = 4;
/** 2 or 3 "?" add 0.18 each; more add 0.96. */
export const QUESTION_INCR = 0.18;
export const MAX_QUESTION_AMPLIFIER = 0.96;
/** Sentiment before "but" is halved, after it multiplied by 1.5. */
export const BUT_BEFORE = 0.5;
export const BUT_AFTER = 1.5;

export const NEGATE: ReadonlySet<string> = new Set([
  "aint",
  "arent",
  "cannot",
  "cant",
  "couldnt",
  "darent",
  "didnt",
  "doesnt",
  "ain't",
  "aren't",
  "can't",
  "couldn't",
  "daren't",
  "didn't",
  "doesn't",
  "dont",
  "hadnt",
  "hasnt",
  "havent",
  "isnt",
  "mightnt",
  "mustnt",
  "neither",
  "don't",
  "hadn't",
  "hasn't",
  "haven't",
  "isn't",
  "mightn't",
  "mustn't",
  "neednt",
  "needn't",
  "never",
  "none",
  "nope",
  "nor",
  "not",
  "nothing",
  "nowhere",
  "oughtnt",
  "shant",
  "shouldnt",
  "uhuh",
  "wasnt",
  "werent",
  "oughtn't",
  "shan't",
  "shouldn't",
  "uh-uh",
  "wasn't",
  "weren't",
  "without",
  "wont",
  "wouldnt",
  "won't",
  "wouldn't",
  "rarely",
  "seldom",
  "despite",
]);

const INCR = [
  "absolutely",
  "amazingly",
  "awfully",
  "completely",
  "considerable",
  "considerably",
  "decidedly",
  "deeply",
  "effing",
  "enormous",
  "enormously",
  "entirely",
  "especially",
  "exceptional",
  "exceptionally",
  "extreme",
  "extremely",
  "fabulously",
  "flipping",
  "flippin",
  "frackin",
  "fracking",
  "fricking",
  "frickin",
  "frigging",
  "friggin",
  "fully",
  "fuckin",
  "fucking",
  "fuggin",
  "fugging",
  "greatly",
  "hella",
  "highly",
  "hugely",
  "incredible",
  "incredibly",
  "intensely",
  "major",
  "majorly",
  "more",
  "most",
  "particularly",
  "purely",
  "quite",
  "really",
  "remarkably",
  "so",
  "substantially",
  "thoroughly",
  "total",
  "totally",
  "tremendous",
  "tremendously",
  "uber",
  "unbelievably",
  "unusually",
  "utter",
  "utterly",
  "very",
];
const DECR = [
  "almost",
  "barely",
  "hardly",
  "just enough",
  "kind of",
  "kinda",
  "kindof",
  "kind-of",
  "less",
  "little",
  "marginal",
  "marginally",
  "occasional",
  "occasionally",
  "partly",
  "scarce",
  "scarcely",
  "slight",
  "slightly",
  "somewhat",
  "sort of",
  "sorta",
  "sortof",
  "sort-of",
];

/** Boosters and dampeners ("degree adverbs"), with the intensity they add. */
export const BOOSTERS: ReadonlyMap<string, number> = new Map([
  ...INCR.map((w): [string, number] => [w, B_INCR]),
  ...DECR.map((w): [string, number] => [w, B_DECR]),
]);

/** Phrases whose valence replaces that of the lexicon word inside them. */
export const SPECIAL_CASES: ReadonlyMap<string, number> = new Map([
  ["the shit", 3],
  ["the bomb", 3],
  ["bad ass", 1.5],
  ["badass", 1.5],
  ["bus stop", 0.0],
  ["yeah right", -2],
  ["kiss of death", -1.5],
  ["to die for", 3],
  ["beating heart", 3.5],
]);
