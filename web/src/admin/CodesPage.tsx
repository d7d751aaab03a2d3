import { useState } from "react";
import { useCheckedSubmit } from "./useCheckedSubmit";
import { Link } from "react-router";
import type { RegistrationCode } from "../api/types";
import { useResource } from "../app/hooks";
import { useServices } from "../app/services";
import { ConfirmDialog, ErrorNote, Loading, StatusPill, formatDateTime, TableWrap } from "../ui/components";
import { DEFAULT_CODE_FORM, canRevoke, newestFirst, printPath, usesText, validateCodeForm, type CodeField, type CodeForm } from "./codes";
import { FieldError, describedBy } from "./FieldError";

export function CodesPage() {
  const { api } = useServices();
  const codes = useResource(() => api.identityAdmin.codes(), [api]);
  const [created, setCreated] = useState<RegistrationCode | null>(null);
  const [revoking, setRevoking] = useState<RegistrationCode | null>(null);

  return (
    <>
      <div className="page-head">
        <h1>Invite codes</h1>
      </div>
      <NewCodeForm
        onCreated={(code) => {
          setCreated(code);
          void codes.reload();
        }}
      />
      <div role="status">{created && <CreatedCode code={created} />}</div>
      <h2>All codes</h2>
      <ErrorNote error={codes.error} onRetry={() => void codes.reload()} />
      {codes.loading && !codes.data ? (
        <Loading />
      ) : (
        codes.data && <CodesTable codes={newestFirst(codes.data)} onRevoke={setRevoking} />
      )}
      {revoking && (
        <RevokeDialog
          code={revoking}
          onDone={() => {
            setRevoking(null);
            void codes.reload();
          }}
          onCancel={() => setRevoking(null)}
        />
      )}
    </>
  );
}

function NewCodeForm({ onCreated }: { onCreated: (code: RegistrationCode) => void }) {
  const { api } = useServices();
  const [form, setForm] = useState<CodeForm>(DEFAULT_CODE_FORM);
  const set = (field: CodeField) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  const { errors, busy, error, submit } = useCheckedSubmit(
    () => validateCodeForm(form),
    async (value) => {
      onCreated(await api.identityAdmin.createCode(value));
      setForm((current) => ({ ...current, notes: "" }));
    },
  );

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-code">
      <h2 id="new-code">New invite code</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="code-max-uses">Max uses</label>
          <input
            id="code-max-uses"
            type="number"
            inputMode="numeric"
            min={1}
            max={500}
            value={form.maxUses}
            onChange={set("maxUses")}
            {...describedBy("code-max-uses", errors.maxUses)}
          />
          <FieldError id="code-max-uses" message={errors.maxUses} />
        </div>
        <div className="field">
          <label htmlFor="code-valid-hours">Valid for (hours)</label>
          <input
            id="code-valid-hours"
            type="number"
            inputMode="numeric"
            min={1}
            max={168}
            value={form.validHours}
            onChange={set("validHours")}
            {...describedBy("code-valid-hours", errors.validHours)}
          />
          <FieldError id="code-valid-hours" message={errors.validHours} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="code-notes">Notes</label>
        <input
          id="code-notes"
          maxLength={200}
          placeholder="e.g. front door, table cards"
          value={form.notes}
          onChange={set("notes")}
          {...describedBy("code-notes", errors.notes)}
        />
        <FieldError id="code-notes" message={errors.notes} />
      </div>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create code"}
        </button>
      </div>
    </form>
  );
}

function CreatedCode({ code }: { code: RegistrationCode }) {
  return (
    <div className="card created-code">
      <p>New code, valid until {formatDateTime(code.expires_at)}:</p>
      <p className="code-big">
        <code>{code.code}</code>
      </p>
      <p>
        Join link: <a href={code.join_url}>{code.join_url}</a>
      </p>
      <Link className="button primary" to={printPath(code.code)}>
        Print
      </Link>
    </div>
  );
}

function CodesTable({ codes, onRevoke }: { codes: RegistrationCode[]; onRevoke: (code: RegistrationCode) => void }) {
  if (codes.length === 0) return <p className="muted">No invite codes yet. Create one above.</p>;
  return (
    <TableWrap label="Invite codes">
      <table>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            <th scope="col">Uses</th>
            <th scope="col">Expires</th>
            <th scope="col">Notes</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {codes.map((code) => (
            <tr key={code.code}>
              <td>
                <code>{code.code}</code>
              </td>
              <td>
                <StatusPill status={code.status} />
              </td>
              <td className="nowrap">{usesText(code)}</td>
              <td>{formatDateTime(code.expires_at)}</td>
              <td>
                <bdi>{code.notes}</bdi>
              </td>
              <td className="cell-actions">
                <Link to={printPath(code.code)} aria-label={`Print ${code.code}`}>
                  Print
                </Link>
                {canRevoke(code) && (
                  <button type="button" className="link" onClick={() => onRevoke(code)} aria-label={`Revoke ${code.code}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function RevokeDialog({ code, onDone, onCancel }: { code: RegistrationCode; onDone: () => void; onCancel: () => void }) {
  const { api } = useServices();
  return (
    <ConfirmDialog
      title={`Revoke ${code.code}?`}
      message={
        <>
          <p>Nobody can join with this code any more. Guests who already joined stay signed in.</p>
        </>
      }
      confirmLabel="Revoke code"
      onConfirm={async () => {
        await api.identityAdmin.revokeCode(code.code);
        onDone();
      }}
      onCancel={onCancel}
    />
  );
}
