/**
 * Post texts of the synthetic stream, written for this project. Each says
 * whether it mentions the crypto terms the bluesky-producer looks for by
 * default (bitcoin, btc, ethereum, eth, crypto, $BTC, $ETH, $SOL, ... as whole
 * words, hashtags and cashtags included): the ground truth tests compare with.
 * The near misses (ethernet, cryptography, bitcoiners, $BTCUSD) are there on
 * purpose: whole-word matching must leave them out.
 */

export interface CorpusText {
  readonly text: string;
  readonly langs: readonly string[];
  /** True when a default-term, whole-word match is in the text. */
  readonly crypto: boolean;
}

const t = (text: string, langs: readonly string[], crypto: boolean): CorpusText => ({ text, langs, crypto });

export const CORPUS: readonly CorpusText[] = [
  // English, matching
  t("Bitcoin just broke its weekly high again, volume looks real this time", ["en"], true),
  t("stacking sats every week, $BTC is the only chart I check", ["en"], true),
  t("ETH gas is cheap tonight, good time to move things around", ["en"], true),
  t("Is it just me or is #crypto twitter quieter over here? I like it", ["en"], true),
  t("$SOL validators had a rough morning but the network recovered", ["en"], true),
  t("Ethereum devs shipped the upgrade without drama. Boring is good.", ["en"], true),
  t("my dad asked what a btc is and I explained it for an hour 😅", ["en"], true),
  t("Not financial advice: $ETH/$BTC ratio is at a level I find interesting", ["en"], true),
  t("#Bitcoin 🚀🚀 to the moon, or at least to the next resistance", ["en"], true),
  t("crypto winter, crypto summer, I just want the tooling to get better", ["en"], true),
  t("Paid for coffee with bitcoin over lightning. Took two seconds.", ["en", "es"], true),
  t("ETH-USD looks heavy, watching 3k as support", ["en"], true),
  // English, not matching (some near misses)
  t("Just finished a 10k run, legs are jelly but I'm happy", ["en"], false),
  t("New ethernet cable fixed the whole home office, who knew", ["en"], false),
  t("The cryptography lecture today was about lattices and it melted my brain", ["en"], false),
  t("Bitcoiners and goldbugs at the same dinner table. Pray for me.", ["en"], false),
  t("$BTCUSD ticker on my broker is broken again", ["en"], false),
  t("Ethics class debate: is it ever okay to lie to a chatbot?", ["en"], false),
  t("Sunset over the bay tonight, no filter needed 🌅", ["en"], false),
  t("Reading list for the weekend: three novels and a cookbook", ["en"], false),
  t("my cat knocked over the plant again. third time this week", ["en"], false),
  // Spanish, Portuguese, French, German
  t("El bitcoin volvió a subir y mi tío ya está hablando de comprar una isla", ["es"], true),
  t("Hoy el sol brilla en Madrid, perfecto para un paseo", ["es"], false),
  t("O preço do BTC em reais bateu recorde hoje", ["pt"], true),
  t("Alguém mais achou o jogo de ontem horrível?", ["pt"], false),
  t("La #crypto en France: les banques commencent enfin à s'y intéresser", ["fr"], true),
  t("Je cherche une bonne boulangerie près de la gare", ["fr"], false),
  t("Ethereum-Entwickler treffen sich diese Woche in Berlin", ["de"], true),
  t("Der Zug hatte wieder 40 Minuten Verspätung", ["de"], false),
  // Japanese, Korean, Chinese, Arabic
  t("ビットコインが上がってる！ #BTC 今日はいい日", ["ja"], true),
  t("今日のランチはラーメンでした🍜", ["ja"], false),
  t("이더리움 $ETH 가스비가 많이 내렸네요", ["ko"], true),
  t("주말에 등산 갔다 왔어요", ["ko"], false),
  t("比特币 bitcoin 今天又涨了，大家怎么看？", ["zh"], true),
  t("今天天气很好，适合出去走走", ["zh"], false),
  t("سعر البيتكوين اليوم مرتفع جدا #bitcoin", ["ar"], true),
  t("صباح الخير من القاهرة", ["ar"], false),
  // No language tag at all
  t("gm. $ETH", [], true),
  t("gm", [], false),
];
