import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/http";
import type { Conversation, Engine, Recommendations, SuggestedDrink } from "../api/types";
import { useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { useT, type Translator } from "../i18n";
import { ErrorNote, Loading } from "../ui/components";
import { forgetConversation, recallConversation, rememberConversation } from "./bartenderMemory";
import { useGuestBar } from "./GuestLayout";
import { BarBanner } from "./MenuPage";
import { OrderDialog } from "./OrderDialog";

/** Sent to the AI service in English, whatever the guest reads: its offline matcher knows
 * English words (the labels are translated, the values are not). */
const MOODS = ["Fruity", "Refreshing", "Sour", "Sweet", "Bitter", "Strong", "Herbal", "Spicy", "Creamy", "Light"] as const;
type Mood = (typeof MOODS)[number];

const ENGINES: readonly string[] = ["offline", "bedrock"] satisfies Engine[];

/** Which engine answered, said plainly: the offline provider is a keyword matcher, not a model. */
export function engineLabel(engine: Engine | undefined, { t }: Translator): string | undefined {
  return engine && ENGINES.includes(engine) ? t(`bartender.engine.${engine}`) : undefined;
}

function EngineLabel({ engine }: { engine: Engine | undefined }) {
  const tr = useT();
  const label = engineLabel(engine, tr);
  if (!label) return null; // an older server, or an engine this app does not know yet
  return <p className="engine">{tr.t("bartender.answeredBy", { engine: label })}</p>;
}

interface Line {
  mine: boolean;
  text: string;
  suggested?: SuggestedDrink[];
  /** Absent for turns read back from the server, which does not say. */
  engine?: Engine;
}

function linesOf(conversation: Conversation): Line[] {
  return conversation.messages.map((message) => ({
    mine: message.role === "user",
    text: message.text,
    suggested: message.role === "assistant" ? message.suggested_drinks : undefined,
  }));
}

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

export function BartenderPage() {
  const [ordering, setOrdering] = useState<{ drink_id: string; name: string } | null>(null);
  const { bar } = useGuestBar();
  const { t } = useT();
  return (
    <>
      <h1>{t("bartender.title")}</h1>
      <BarBanner bar={bar} />
      <Recommend onOrder={setOrdering} />
      <Chat onOrder={setOrdering} />
      {ordering && <OrderDialog drinkId={ordering.drink_id} drinkName={ordering.name} onClose={() => setOrdering(null)} />}
    </>
  );
}

function Recommend({ onOrder }: { onOrder: (drink: { drink_id: string; name: string }) => void }) {
  const { api } = useServices();
  const { t, locale } = useT();
  const [moods, setMoods] = useState<Mood[]>([]);
  const [words, setWords] = useState("");
  const [noAlcohol, setNoAlcohol] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<Recommendations | null>(null);

  const preferences = [...moods, words.trim()].filter(Boolean).join(", ");
  const toggle = (mood: Mood) => setMoods((m) => (m.includes(mood) ? m.filter((x) => x !== mood) : [...m, mood]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResults(await api.ai.recommend(preferences.slice(0, 500), noAlcohol, locale));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="recommend-title">
      <h2 id="recommend-title">{t("bartender.moodTitle")}</h2>
      <form onSubmit={submit}>
        <div className="filters" role="group" aria-label={t("bartender.moods")} style={{ flexWrap: "wrap" }}>
          {MOODS.map((mood) => (
            <button key={mood} type="button" className="chip" aria-pressed={moods.includes(mood)} onClick={() => toggle(mood)}>
              {t(`mood.${mood}`)}
            </button>
          ))}
        </div>
        <div className="field">
          <label htmlFor="preferences">{t("bartender.ownWords")}</label>
          <input
            id="preferences"
            maxLength={400}
            placeholder={t("bartender.ownWordsPlaceholder")}
            value={words}
            onChange={(e) => setWords(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={noAlcohol} onChange={(e) => setNoAlcohol(e.target.checked)} /> {t("bartender.noAlcohol")}
        </label>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !preferences}>
            {busy ? t("bartender.thinking") : t("bartender.recommend")}
          </button>
        </div>
      </form>
      {results && (
        <div aria-live="polite">
          {results.note ? (
            <p className="note" role="status">
              {results.note}
            </p>
          ) : (
            results.recommendations.length === 0 && (
              <p className="note" role="status">
                {t("bartender.nothingFits")}
              </p>
            )
          )}
          {results.recommendations.length > 0 && (
            <ul className="order-list" aria-label={t("bartender.recommendations")}>
              {results.recommendations.map((r) => (
                <li key={r.drink_id} className="order-card">
                  <header>
                    <h3>{r.name}</h3>
                    <button
                      type="button"
                      className="primary"
                      onClick={() => onOrder(r)}
                      aria-label={t("bartender.orderDrink", { drink: r.name })}
                    >
                      {t("bartender.order")}
                    </button>
                  </header>
                  <p className="muted">{r.reason}</p>
                </li>
              ))}
            </ul>
          )}
          <EngineLabel engine={results.engine} />
        </div>
      )}
    </section>
  );
}

function Chat({ onOrder }: { onOrder: (drink: { drink_id: string; name: string }) => void }) {
  const { api, guest } = useServices();
  const { t, locale } = useT();
  const userKey = useSession(guest)?.user_key ?? "";
  const [conversation, setConversation] = useState<string | null>(() => recallConversation(userKey));
  const [lines, setLines] = useState<Line[]>([]);
  // The conversation so far is read back from the server first (a tab switch, a reload).
  const [restoring, setRestoring] = useState(conversation !== null);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const startAfresh = useCallback(() => {
    forgetConversation(userKey);
    setConversation(null);
    setLines([]);
  }, [userKey]);

  const restore = useCallback(
    async (id: string, gone: () => boolean) => {
      setRestoring(true);
      setRestoreError(null);
      try {
        const read = await api.ai.conversation(id);
        if (!gone()) setLines(linesOf(read));
      } catch (caught) {
        if (gone()) return;
        // Not ours any more (expired, or another guest's on this phone): the next message starts anew.
        if (isNotFound(caught)) startAfresh();
        else setRestoreError(caught);
      } finally {
        if (!gone()) setRestoring(false);
      }
    },
    [api, startAfresh],
  );

  useEffect(() => {
    const first = recallConversation(userKey);
    if (!first) return;
    let gone = false;
    void restore(first, () => gone);
    return () => {
      gone = true;
    };
  }, [userKey, restore]);

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
        reply = await api.ai.chat(text, conversation, locale);
      } catch (caught) {
        // A conversation from an earlier session is not ours any more: start a new one.
        if (!conversation || !isNotFound(caught)) throw caught;
        forgetConversation(userKey);
        reply = await api.ai.chat(text, null, locale);
      }
      rememberConversation(userKey, reply.conversation_id);
      setConversation(reply.conversation_id);
      setLines((l) => [
        ...l,
        { mine: false, text: reply.reply, suggested: reply.suggested_drinks, engine: reply.engine },
      ]);
    } catch (caught) {
      setError(caught);
      setMessage(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="chat-title">
      <h2 id="chat-title">{t("bartender.chat")}</h2>
      <div className="chat" role="log" aria-live="polite">
        {restoring && <Loading label={t("bartender.loadingChat")} />}
        <ErrorNote error={restoreError} onRetry={conversation ? () => void restore(conversation, () => false) : undefined} />
        {!restoring && lines.length === 0 && <p className="muted">{t("bartender.askAnything")}</p>}
        {lines.map((line, i) => (
          <div key={i} className={`bubble ${line.mine ? "mine" : ""}`}>
            <span className="visually-hidden">{line.mine ? t("bartender.you") : t("bartender.bartender")}{" "}</span>
            {line.text}
            {line.suggested && line.suggested.length > 0 && (
              <div className="suggestions">
                {line.suggested.map((drink) => (
                  <button key={drink.drink_id} type="button" className="chip" onClick={() => onOrder(drink)} aria-label={t("bartender.orderDrink", { drink: drink.name })}>
                    {t("bartender.orderDrink", { drink: drink.name })}
                  </button>
                ))}
              </div>
            )}
            {!line.mine && <EngineLabel engine={line.engine} />}
          </div>
        ))}
      </div>
      <form onSubmit={send} className="row">
        <div className="field">
          <label htmlFor="chat-message">{t("bartender.message")}</label>
          <input id="chat-message" maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} />
        </div>
        <button
          type="submit"
          className="primary"
          disabled={busy || restoring || !message.trim()}
          style={{ marginBottom: "0.9rem" }}
        >
          {busy ? "…" : t("bartender.send")}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
