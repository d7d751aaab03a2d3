import { useState, type FormEvent } from "react";
import type { Recommendation } from "../api/types";
import { useServices } from "../app/services";
import { ErrorNote } from "../ui/components";
import { useGuestBar } from "./GuestLayout";
import { BarBanner } from "./MenuPage";
import { OrderDialog } from "./OrderDialog";

const MOODS = ["Fruity", "Refreshing", "Sour", "Sweet", "Bitter", "Strong", "Herbal", "Spicy", "Creamy", "Light"];
const CONVERSATION_KEY = "barkeep.chat";

interface Line {
  mine: boolean;
  text: string;
  suggested?: { drink_id: string; name: string }[];
}

export function BartenderPage() {
  const [ordering, setOrdering] = useState<{ drink_id: string; name: string } | null>(null);
  const { bar } = useGuestBar();
  return (
    <>
      <h1>Ask the bartender</h1>
      <BarBanner bar={bar} />
      <Recommend onOrder={setOrdering} />
      <Chat onOrder={setOrdering} />
      {ordering && <OrderDialog drinkId={ordering.drink_id} drinkName={ordering.name} onClose={() => setOrdering(null)} />}
    </>
  );
}

function Recommend({ onOrder }: { onOrder: (drink: { drink_id: string; name: string }) => void }) {
  const { api } = useServices();
  const [moods, setMoods] = useState<string[]>([]);
  const [words, setWords] = useState("");
  const [noAlcohol, setNoAlcohol] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<Recommendation[] | null>(null);

  const preferences = [...moods, words.trim()].filter(Boolean).join(", ");
  const toggle = (mood: string) => setMoods((m) => (m.includes(mood) ? m.filter((x) => x !== mood) : [...m, mood]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResults(await api.ai.recommend(preferences.slice(0, 500), noAlcohol));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="recommend-title">
      <h2 id="recommend-title">What are you in the mood for?</h2>
      <form onSubmit={submit}>
        <div className="filters" role="group" aria-label="Moods" style={{ flexWrap: "wrap" }}>
          {MOODS.map((mood) => (
            <button key={mood} type="button" className="chip" aria-pressed={moods.includes(mood)} onClick={() => toggle(mood)}>
              {mood}
            </button>
          ))}
        </div>
        <div className="field">
          <label htmlFor="preferences">In your own words</label>
          <input
            id="preferences"
            maxLength={400}
            placeholder="Something with gin, not too sweet"
            value={words}
            onChange={(e) => setWords(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={noAlcohol} onChange={(e) => setNoAlcohol(e.target.checked)} /> No alcohol
        </label>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !preferences}>
            {busy ? "Thinking…" : "Recommend"}
          </button>
        </div>
      </form>
      {results && (
        <ul className="order-list" aria-label="Recommendations" aria-live="polite">
          {results.map((r) => (
            <li key={r.drink_id} className="order-card">
              <header>
                <h3>{r.name}</h3>
                <button type="button" className="primary" onClick={() => onOrder(r)} aria-label={`Order ${r.name}`}>
                  Order
                </button>
              </header>
              <p className="muted">{r.reason}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Chat({ onOrder }: { onOrder: (drink: { drink_id: string; name: string }) => void }) {
  const { api } = useServices();
  const [conversation, setConversation] = useState<string | null>(() => sessionStorage.getItem(CONVERSATION_KEY));
  const [lines, setLines] = useState<Line[]>([]);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const text = message.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    setLines((l) => [...l, { mine: true, text }]);
    setMessage("");
    try {
      let reply;
      try {
        reply = await api.ai.chat(text, conversation);
      } catch (caught) {
        // A conversation from an earlier session is not ours any more: start a new one.
        if (!conversation || (caught as { status?: number }).status !== 404) throw caught;
        reply = await api.ai.chat(text, null);
      }
      sessionStorage.setItem(CONVERSATION_KEY, reply.conversation_id);
      setConversation(reply.conversation_id);
      setLines((l) => [...l, { mine: false, text: reply.reply, suggested: reply.suggested_drinks }]);
    } catch (caught) {
      setError(caught);
      setMessage(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat</h2>
      <div className="chat" role="log" aria-live="polite">
        {lines.length === 0 && <p className="muted">Ask anything: "What's good with tequila?"</p>}
        {lines.map((line, i) => (
          <div key={i} className={`bubble ${line.mine ? "mine" : ""}`}>
            <span className="visually-hidden">{line.mine ? "You: " : "Bartender: "}</span>
            {line.text}
            {line.suggested && line.suggested.length > 0 && (
              <div className="suggestions">
                {line.suggested.map((drink) => (
                  <button key={drink.drink_id} type="button" className="chip" onClick={() => onOrder(drink)} aria-label={`Order ${drink.name}`}>
                    Order {drink.name}
                  </button>
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
      <form onSubmit={send} className="row">
        <div className="field">
          <label htmlFor="chat-message">Message</label>
          <input id="chat-message" maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy || !message.trim()} style={{ marginBottom: "0.9rem" }}>
          {busy ? "…" : "Send"}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
