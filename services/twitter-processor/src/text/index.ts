/** Text pipeline of the twitter-processor: preprocessing (for storage) and sentiment (VADER). */

export { natural } from "./natural-quiet.js";
export { decodeHtmlEntities } from "./html-entities.js";
export { NEGATION_TOKEN, NEGATION_WORDS, NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE, STOPWORDS } from "./stopwords.js";
export { preprocess, type Preprocessed } from "./preprocess.js";
export {
  NEGATIVE_THRESHOLD,
  POSITIVE_THRESHOLD,
  labelForScore,
  scoreSentiment,
  scoringText,
  type Sentiment,
  type SentimentLabel,
} from "./sentiment.js";
