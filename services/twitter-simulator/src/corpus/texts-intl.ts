import { make, type Sentiment, type TextTemplate } from "./template.js";

const t = (lang: string, sentiment: Sentiment) => make(lang, sentiment);

/**
 * Non-English templates, tagged with the language the real API would report
 * (including its special codes: "qht" hashtags only, "qct" cashtags only,
 * "art" emoji only, "und" undetermined). Most carry a Latin keyword or tag
 * ({coin}, #BTC...) so they match a keyword query unless `lang:` excludes them.
 */
export const INTERNATIONAL_TEMPLATES: readonly TextTemplate[] = [
  // Japanese
  t("ja", "positive")("{coin}が{price}を突破！ガチホしててよかった🚀 #暗号資産"),
  t("ja", "negative")("{cash}また暴落…含み損がすごいことになってる😭 もう見たくない"),
  t("ja", "neutral")("今日の{coin}は横ばい。出来高も普通。様子見です {url}"),
  t("ja", "positive")("毎月コツコツ{sym}を積み立て中。長期目線でいきます💎🙌 #ビットコイン"),
  t(
    "ja",
    "neutral",
  )(
    "【解説】{coin}の半減期とは何か？マイニング報酬が約4年ごとに半分になる仕組みで、新規発行量が減ることから価格への影響がよく議論されます。過去の半減期の前後で何が起きたのか、データを使って整理してみました。詳しくはこちら→ {url}",
  ),
  t("ja", "negative")("取引所のアプリが落ちて{sym}が売れなかった。最悪のタイミング🤦‍♂️"),
  // Russian
  t("ru", "positive")("{coin} снова растёт! +{pct} за сутки, держу и не продаю 🚀 #биткоин"),
  t("ru", "negative")("{cash} упал ниже {price}. Ликвидации по всему рынку, будьте осторожны ⚠️"),
  t("ru", "neutral")("Кто-нибудь пробовал стейкинг {sym}? Поделитесь опытом, пожалуйста."),
  t("ru", "neutral")("Обзор рынка на сегодня: {coin} {price}, объёмы средние, тренда нет.\nПодробнее: {url}"),
  t(
    "ru",
    "negative",
  )(
    "Очередная биржа заморозила вывод средств. Сколько раз нужно повторять: храните {coin} на своём кошельке, а не на бирже! Не ваши ключи — не ваши монеты. Проверьте свои аккаунты прямо сейчас и выведите всё, что можете. {tag}",
  ),
  // Arabic
  t("ar", "positive")("{coin} يرتفع بقوة اليوم 🚀 السعر الآن {price} #بيتكوين"),
  t("ar", "negative")("خسرت الكثير في {cash} هذا الأسبوع 😢 السوق قاسٍ جداً"),
  t("ar", "neutral")("ما رأيكم في مستقبل {coin}؟ هل هو استثمار طويل الأمد أم مجرد مضاربة؟"),
  t("ar", "neutral")("تحديث السوق: {sym} عند {price} والتداول هادئ نسبياً {url}"),
  // Chinese
  t("zh", "positive")("{coin}突破{price}了！牛市要来了吗？🚀 #比特币"),
  t("zh", "negative")("{cash}一小时跌了{pct}，合约又爆仓了😭"),
  t("zh", "neutral")("今天{coin}价格{price}，成交量一般，继续观望。{url}"),
  t("zh", "neutral")("有没有人用过{coin}的硬件钱包？求推荐 🙏"),
  t(
    "zh",
    "positive",
  )(
    "坚持定投{sym}三年了，经历了两次大跌，但从来没有停止。现在回头看，最重要的不是买在最低点，而是不要在恐慌时卖出。耐心是这个市场里最稀缺的东西。共勉💪 {tag}",
  ),
  // Hindi
  t("hi", "positive")("{coin} आज {pct} ऊपर है! लंबे समय के लिए होल्ड कर रहा हूँ 🚀 #क्रिप्टो"),
  t("hi", "negative")("{cash} में बहुत नुकसान हो गया 😞 बाज़ार बहुत अस्थिर है"),
  t("hi", "neutral")("क्या कोई बता सकता है कि {coin} वॉलेट कैसे सेट करें? {url}"),
  t("hi", "neutral")("आज का बाज़ार: {sym} {price} पर, ज़्यादा हलचल नहीं।"),
  // Korean
  t("ko", "positive")("{coin} 드디어 {price} 돌파! 존버는 승리한다 🚀"),
  t("ko", "negative")("{cash} 또 떨어졌네요… 물타기 해야 하나 😭"),
  // Spanish
  t("es", "positive")("¡{coin} sube un {pct} hoy! Sigo acumulando 🚀 #Bitcoin"),
  t("es", "negative")("Perdí casi todo con {cash}. Nunca más uso apalancamiento 😩"),
  t("es", "neutral")("¿Alguien sabe cuándo es la próxima actualización de {coin}? {url}"),
  // Portuguese
  t("pt", "positive")("{coin} a {price}! Quem comprou na baixa está sorrindo agora 😄 {tag}"),
  t("pt", "negative")("Mais uma corretora travando saques. Tirem seus {sym} de lá ⚠️"),
  // German
  t("de", "neutral")("{coin} steht bei {price}. Seitwärtsphase, abwarten und Tee trinken ☕"),
  t("de", "negative")("{cash} ist heute um {pct} gefallen. Schmerzhaft. 📉"),
  // French
  t("fr", "positive")("{coin} repasse au-dessus de {price} ! Les haussiers sont de retour 🐂"),
  t("fr", "neutral")("Petit rappel : ne partagez jamais votre phrase de récupération {sym}. Jamais. {url}"),
  // Turkish
  t("tr", "positive")("{coin} yeniden yükselişte! {price} seviyesini geçti 🚀"),
  t("tr", "negative")("{cash} yine düştü, borsa çekimleri durdurdu. Çok kötü bir gün 😡"),
  // Mixed scripts and special language codes
  t("ja", "positive")("{coin}最高！Let's go {cash} 🚀🌕 ガチホ勢の勝利 #HODL"),
  t("qht", "neutral")("#Bitcoin #BTC #crypto #blockchain"),
  t("qht", "neutral")("#{sym} #Crypto #Web3 #DeFi"),
  t("qct", "neutral")("{cash} {cash} 🚀"),
  t("art", "positive")("🚀🚀🚀🌕🌕💎🙌"),
  t("und", "neutral")("{sym} {price} {emoji} {url}"),
  t(
    "en",
    "positive",
  )(
    "🚀🌕💎🙌🔥📈🚀🌕💎🙌🔥📈 {coin} 🚀🌕💎🙌🔥📈🚀🌕💎🙌🔥📈 {cash} 👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦 the whole family is in 🏳️‍🌈🧑‍🚀🧑‍🚀🧑‍🚀👩‍💻👩‍💻👩‍💻🐻‍❄️🐻‍❄️❤️‍🔥❤️‍🔥❤️‍🔥😮‍💨😮‍💨 LFG 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀",
  ),
  t(
    "ja",
    "neutral",
  )(
    "{coin}について調べたことまとめ：①発行上限がある②誰でも送受信できる③取引記録は公開されている④秘密鍵をなくすと取り戻せない⑤価格変動がとても大きい⑥税金の計算が意外と大変。特に⑥は本当に大事なので、取引履歴は必ず保存しておきましょう。年末に慌てないように。以上です🙇‍♂️",
  ),
];
