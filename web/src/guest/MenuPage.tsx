import { useMemo, useState } from "react";
import { SUITABLE_FOR, type Drink, type SuitableFor } from "../api/types";
import { MENU_CACHE } from "../app/cache";
import { useChannel, useResource, useThrottled } from "../app/hooks";
import { useServices } from "../app/services";
import type { BarSettings } from "../api/types";
import { useT } from "../i18n";
import { ErrorNote, GlassIcon, Loading, Modal } from "../ui/components";
import { barNotice, whyNotOrderable } from "./bar";
import { dietChips, dietLabel, dietPhrase, loadDiet, matchesDiet, saveDiet, toggleDiet } from "./dietFilter";
import { useGuestBar } from "./GuestLayout";
import { amountText, bySection, facets, matches, NO_FILTER, type MenuFilter } from "./menuFilter";
import { OrderForm } from "./OrderDialog";

export function DrinkPhoto({ drink, large = false }: { drink: Pick<Drink, "image_url" | "name">; large?: boolean }) {
  const className = `drink-photo ${large ? "large" : ""}`;
  return drink.image_url ? (
    <img className={className} src={drink.image_url} alt="" loading="lazy" />
  ) : (
    <span className={className} aria-hidden="true">
      <GlassIcon size={large ? 72 : 36} />
    </span>
  );
}

/** Paused (why, and until when) or last call, over the menu; nothing while the bar is open. */
export function BarBanner({ bar }: { bar: BarSettings | undefined }) {
  const notice = barNotice(bar, useT());
  if (!notice) return null;
  return (
    <section className={`bar-banner is-${notice.kind}`} role="status" aria-label={notice.title}>
      <strong>{notice.title}</strong>
      <span>{notice.text}</span>
      {notice.reopens && <span>{notice.reopens}</span>}
    </section>
  );
}

/** What a drink suits and the allergens in it, from the facts derived from its ingredients. */
export function DietTags({ drink }: { drink: Drink }) {
  const tr = useT();
  const chips = dietChips(drink, tr);
  if (chips.suitable.length === 0 && !chips.contains && !chips.unchecked) return null;
  return (
    <span className="tags diet-tags" aria-label={tr.t("diet.tags")}>
      {chips.suitable.map((label) => (
        <span key={label} className="tag diet">
          {label}
        </span>
      ))}
      {chips.contains && <span className="tag allergen">{chips.contains}</span>}
      {chips.unchecked && <span className="tag unchecked">{tr.t("diet.askAboutAllergens")}</span>}
    </span>
  );
}

export function MenuPage() {
  const { api, realtime } = useServices();
  const { bar } = useGuestBar();
  const tr = useT();
  const { t } = tr;
  // Kept on the phone: switching tabs (or reloading) offline shows the last menu, not a blank page.
  const menu = useResource(() => Promise.all([api.menu.sections(), api.menu.drinks()]), [api], { cacheKey: MENU_CACHE });
  const [filter, setFilter] = useState<MenuFilter>(NO_FILTER);
  // What the guest eats stays chosen on this phone (a reload, another tab) until they leave.
  const [diet, setDietState] = useState<SuitableFor[]>(loadDiet);
  const setDiet = (next: SuitableFor[]) => {
    setDietState(next);
    saveDiet(next);
  };
  const [openId, setOpenId] = useState<string | null>(null);
  const [ordering, setOrdering] = useState(false);

  // Another screen edited the menu (or a photo arrived): re-read, at most once a second.
  const refresh = useThrottled(() => void menu.reload(), 1000);
  useChannel(realtime, "/menu/updates", realtime.apiKeyAuth, refresh, refresh);

  const [sections, drinks] = menu.data ?? [[], []];
  const tags = useMemo(() => facets(drinks, (d) => d.tags).slice(0, 12), [drinks]);
  const ingredients = useMemo(() => facets(drinks, (d) => d.ingredients.map((i) => i.name)).sort(), [drinks]);
  const groups = bySection(sections, drinks.filter((d) => matches(d, filter) && matchesDiet(d, diet)));
  const open = drinks.find((d) => d.id === openId) ?? null;
  const filtered = filter !== NO_FILTER || diet.length > 0;
  const clearFilters = () => {
    setFilter(NO_FILTER);
    setDiet([]);
  };

  const close = () => {
    setOpenId(null);
    setOrdering(false);
  };

  return (
    <>
      <h1>{t("menu.title")}</h1>
      <BarBanner bar={bar} />
      <div className="search">
        <label htmlFor="menu-search" className="visually-hidden">
          {t("menu.search")}
        </label>
        <input
          id="menu-search"
          type="search"
          placeholder={t("menu.searchPlaceholder")}
          value={filter.q}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
        />
      </div>
      {!filtered && groups.length > 1 && (
        <nav className="filters" aria-label={t("menu.sections")}>
          {groups.map(({ section }) => (
            <button
              key={section.id}
              type="button"
              className="chip"
              onClick={() => {
                const heading = document.getElementById(`section-${section.id}`);
                heading?.scrollIntoView({ behavior: "smooth" });
                heading?.focus({ preventScroll: true }); // keyboard and screen readers follow
              }}
            >
              {section.name}
            </button>
          ))}
        </nav>
      )}
      <div className="row">
        <div className="field">
          <label htmlFor="menu-ingredient">{t("menu.ingredient")}</label>
          <select
            id="menu-ingredient"
            value={filter.ingredient ?? ""}
            onChange={(e) => setFilter({ ...filter, ingredient: e.target.value || null })}
          >
            <option value="">{t("menu.anyIngredient")}</option>
            {ingredients.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
      </div>
      <div className="filters" role="group" aria-label={t("menu.tags")}>
        {tags.map((tag) => (
          <button
            key={tag}
            type="button"
            className="chip"
            aria-pressed={filter.tag === tag}
            onClick={() => setFilter({ ...filter, tag: filter.tag === tag ? null : tag })}
          >
            {tag}
          </button>
        ))}
      </div>
      <div className="filters" role="group" aria-label={t("menu.diet")}>
        {SUITABLE_FOR.map((value) => (
          <button
            key={value}
            type="button"
            className="chip"
            aria-pressed={diet.includes(value)}
            onClick={() => setDiet(toggleDiet(diet, value))}
          >
            {dietLabel(value, tr)}
          </button>
        ))}
      </div>
      {filtered && groups.length > 0 && (
        <p className="muted" role="status">
          {t("menu.matches", { count: groups.reduce((n, g) => n + g.drinks.length, 0) })}{" "}
          <button type="button" className="link" onClick={clearFilters}>
            {t("menu.clearFilters")}
          </button>
        </p>
      )}
      {menu.loading && !menu.data && <Loading label={t("menu.loading")} />}
      <ErrorNote error={menu.error} onRetry={() => void menu.reload()} />
      {groups.map(({ section, drinks: inSection }) => (
        <section key={section.id} className="section" aria-labelledby={`section-${section.id}`}>
          <h2 id={`section-${section.id}`} tabIndex={-1}>
            {section.name}
          </h2>
          {section.description && <p>{section.description}</p>}
          <div className="drinks">
            {inSection.map((drink) => (
              // The name is the button (a heading for screen readers' heading list); it
              // stretches over the whole card so a tap anywhere opens the drink.
              <article key={drink.id} className={`drink-card ${drink.sold_out ? "is-sold-out" : ""}`}>
                <DrinkPhoto drink={drink} />
                <div>
                  <h3>
                    <button type="button" className="card-button" onClick={() => setOpenId(drink.id)}>
                      {drink.name}
                    </button>
                  </h3>
                  {drink.sold_out && <span className="sold-out">{t("menu.soldOut")}</span>}
                  <p>{drink.description}</p>
                  <DietTags drink={drink} />
                  <span className="tags">
                    {drink.tags.slice(0, 3).map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                </div>
              </article>
            ))}
          </div>
        </section>
      ))}
      {menu.data && groups.length === 0 && (
        <p className="muted" role="status">
          {drinks.length > 0 && diet.length > 0 && drinks.every((d) => !matchesDiet(d, diet))
            ? t("menu.nothingForDiet", { diet: dietPhrase(diet, tr) })
            : t("menu.noMatch")}{" "}
          {filtered && (
            <button type="button" className="link" onClick={clearFilters}>
              {t("menu.clearFilters")}
            </button>
          )}
        </p>
      )}
      {open && (
        // A new key when the detail turns into the order form: the dialog takes focus again.
        <Modal key={ordering ? "order" : "detail"} title={open.name} onClose={close}>
          {ordering ? (
            <OrderForm
              drinkId={open.id}
              drinkName={open.name}
              soldOut={open.sold_out}
              onDone={close}
              onRefused={(refusal) => refusal.code === "sold_out" && void menu.reload()}
            />
          ) : (
            <DrinkDetail drink={open} bar={bar} onOrder={() => setOrdering(true)} />
          )}
        </Modal>
      )}
      {openId && !open && menu.data && (
        <Modal title={t("menu.goneTitle")} onClose={close}>
          <p>{t("menu.gone")}</p>
        </Modal>
      )}
    </>
  );
}

function DrinkDetail({ drink, bar, onOrder }: { drink: Drink; bar: BarSettings | undefined; onOrder: () => void }) {
  const tr = useT();
  const { t } = tr;
  const blocked = whyNotOrderable(bar, drink.sold_out, tr);
  const reason = drink.sold_out ? null : blocked; // a sold-out drink's button says so itself
  return (
    <div>
      <DrinkPhoto drink={drink} large />
      {drink.sold_out && <p className="sold-out">{t("menu.soldOut")}</p>}
      <p>{drink.description}</p>
      <DietTags drink={drink} />
      <div className="tags">
        {drink.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      <h3>{t("menu.ingredients")}</h3>
      <ul className="ingredients">
        {drink.ingredients.map((ingredient, i) => (
          <li key={i}>
            {amountText(ingredient.amount, ingredient.unit, tr)} {ingredient.name}
          </li>
        ))}
      </ul>
      {drink.recipe_steps.length > 0 && (
        <>
          <h3>{t("menu.howMade")}</h3>
          <ol className="steps">
            {drink.recipe_steps.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        </>
      )}
      <div className="actions sticky">
        {reason && (
          <span className="muted" id="order-blocked">
            {reason}
          </span>
        )}
        <button
          type="button"
          className="primary"
          onClick={onOrder}
          disabled={blocked !== null}
          aria-describedby={reason ? "order-blocked" : undefined}
        >
          {drink.sold_out ? t("menu.soldOut") : t("menu.order")}
        </button>
      </div>
    </div>
  );
}
