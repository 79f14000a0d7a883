/**
 * Hand-labeled crypto-flavoured sentences for checking the sentiment pipeline
 * (written for this project; labels are what a human reader would say, not what
 * the lexicon happens to produce — some are expected to be missed).
 */

import type { SentimentLabel } from "@cryptostream/twitter-processor/text/sentiment";

export interface LabeledText {
  text: string;
  label: SentimentLabel;
}

export const LABELED_SET: readonly LabeledText[] = [
  // positive
  { text: "Bitcoin just broke a new all time high, amazing day for crypto! 🚀", label: "positive" },
  { text: "So happy with my ETH gains this month", label: "positive" },
  { text: "Great news: the exchange fixed the withdrawal bug fast", label: "positive" },
  { text: "Love how strong the Solana community is", label: "positive" },
  { text: "This rally is awesome, portfolio finally green", label: "positive" },
  { text: "HODLers win again, what a fantastic week #BTC", label: "positive" },
  { text: "Really excited about the Ethereum upgrade tomorrow", label: "positive" },
  { text: "Best trade I have made all year, huge profit on $DOGE", label: "positive" },
  { text: "Feeling optimistic about altcoins this quarter", label: "positive" },
  { text: "Wow, the new wallet app is super easy and secure", label: "positive" },
  { text: "Not a bad day at all for Cardano holders", label: "positive" },
  { text: "Thank you @binance support, problem solved quickly", label: "positive" },
  { text: "Crypto adoption keeps growing, good times ahead", label: "positive" },
  { text: "I'm confident BTC will keep climbing, bullish!", label: "positive" },
  { text: "Impressive recovery for the market today", label: "positive" },
  { text: "Glad I bought the dip, nice gains now", label: "positive" },
  { text: "RT @whale_alert: beautiful breakout on the weekly chart", label: "positive" },
  { text: "Lightning payments are fast and cheap, love it", label: "positive" },
  { text: "Celebrating 10 years of Ethereum, proud to be early", label: "positive" },
  { text: "Bitcoin is not dead, it's stronger than ever", label: "positive" },
  { text: "Never selling my ETH, I love this project", label: "positive" },
  // negative
  { text: "Another exchange hacked, millions stolen. Terrible.", label: "negative" },
  { text: "This coin is a scam, stay away", label: "negative" },
  { text: "Lost half my portfolio in the crash 😭", label: "negative" },
  { text: "Panic selling everywhere, the market is brutal today", label: "negative" },
  { text: "Worried about the SEC lawsuit against the exchange", label: "negative" },
  { text: "Fees are insane and the network keeps failing", label: "negative" },
  { text: "Rug pull confirmed, devs disappeared with the funds", label: "negative" },
  { text: "So disappointed with this ICO, total fraud", label: "negative" },
  { text: "I don't trust this stablecoin at all", label: "negative" },
  { text: "Liquidated again, I hate leverage", label: "negative" },
  { text: "The bear market is killing my savings", label: "negative" },
  { text: "Worst investment decision of my life #crypto", label: "negative" },
  { text: "FUD everywhere and prices keep dumping", label: "negative" },
  { text: "Exchange froze withdrawals, users are angry", label: "negative" },
  { text: "Bitcoin collapsed below support, ugly day", label: "negative" },
  { text: "Ponzi vibes from this yield farm, horrible tokenomics", label: "negative" },
  { text: "Sad to see the project abandoned by its team", label: "negative" },
  { text: "Gas fees are ridiculous, Ethereum is unusable", label: "negative" },
  { text: "This is not a good time to buy, too risky", label: "negative" },
  { text: "Miners capitulating, hashrate dropping, bad sign", label: "negative" },
  { text: "Can't believe I fell for another phishing scam", label: "negative" },
  // neutral
  { text: "BTC trading at 64,200 USD on Binance", label: "neutral" },
  { text: "Ethereum gas is around 20 gwei right now", label: "neutral" },
  { text: "Block 840000 was mined at 00:09 UTC", label: "neutral" },
  { text: "The halving is expected in April", label: "neutral" },
  { text: "New listing: XRP/USDT pairs open at 10:00", label: "neutral" },
  { text: "Weekly volume report for the top ten coins", label: "neutral" },
  { text: "Bitcoin dominance sits at 52 percent", label: "neutral" },
  { text: "Kraken will perform scheduled maintenance on Sunday", label: "neutral" },
  { text: "Reading the Solana whitepaper tonight", label: "neutral" },
  { text: "How do I move my tokens from Coinbase to a hardware wallet?", label: "neutral" },
  { text: "Price of ETH is 3,100 and BTC is 64,000", label: "neutral" },
  { text: "Fed meeting minutes come out on Wednesday", label: "neutral" },
  { text: "Circulating supply of USDC updated on the website", label: "neutral" },
  { text: "Is anyone going to the blockchain conference in Lisbon?", label: "neutral" },
  { text: "The SEC published its decision on the ETF filing", label: "neutral" },
  { text: "Swapped some ADA for DOT this morning", label: "neutral" },
  { text: "Chart: BTC 4h candles with the 200 day moving average", label: "neutral" },
  { text: "Staking rewards are paid out every epoch", label: "neutral" },
  { text: "Full list of validators in the thread https://t.co/abc123", label: "neutral" },
  { text: "Market opens in two hours, watching the order book", label: "neutral" },
];
