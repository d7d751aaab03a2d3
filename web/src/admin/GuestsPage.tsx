import { useState } from "react";
import type { Guest } from "../api/types";
import { useResource } from "../app/hooks";
import { useServices } from "../app/services";
import { ConfirmDialog, ErrorNote, Loading, formatDateTime, TableWrap } from "../ui/components";
import { filterGuests } from "./format";

export function GuestsPage() {
  const { api } = useServices();
  const guests = useResource(() => api.identityAdmin.guests(), [api]);
  const [query, setQuery] = useState("");
  const [target, setTarget] = useState<Guest | null>(null);
  const [notice, setNotice] = useState("");

  const deactivate = async (guest: Guest) => {
    await api.identityAdmin.deactivate(guest.user_key);
    setNotice(`${guest.username} was deactivated and is signed out.`);
    setTarget(null);
    await guests.reload();
  };

  const shown = filterGuests(guests.data ?? [], query);

  return (
    <>
      <div className="page-head">
        <h1>Guests</h1>
        <div className="field search">
          <label htmlFor="guest-search">Search guests</label>
          <input id="guest-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
      </div>
      <div role="status">{notice && <p className="note success">{notice}</p>}</div>
      <ErrorNote error={guests.error} onRetry={() => void guests.reload()} />
      {guests.loading && !guests.data ? (
        <Loading />
      ) : (
        guests.data && (
          <TableWrap label="Guests">
            <table>
              <caption className="visually-hidden">
                {shown.length} of {guests.data.length} guests
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Joined</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((guest) => (
                  <tr key={guest.user_key}>
                    <td>
                      <bdi>{guest.username}</bdi>
                    </td>
                    <td>{formatDateTime(guest.created_at)}</td>
                    <td>
                      <span className={`pill ${guest.is_active ? "status-active" : "status-revoked"}`}>
                        {guest.is_active ? "Active" : "Deactivated"}
                      </span>
                    </td>
                    <td>
                      {guest.is_active && (
                        <button type="button" className="link" onClick={() => setTarget(guest)} aria-label={`Deactivate ${guest.username}`}>
                          Deactivate
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && (
              <p className="muted">{query ? `No guest matches “${query.trim()}”.` : "Nobody has joined yet."}</p>
            )}
          </TableWrap>
        )
      )}
      {target && (
        <ConfirmDialog
          title={`Deactivate ${target.username}?`}
          message={
            <>
              <p>
                They can't order any more and are signed out on every device within a few seconds. Their open
                orders stay on the board for you to finish or cancel. This can't be undone, but they could join
                again as someone new with an invite that is still valid: revoke it under Invites to stop that.
              </p>
            </>
          }
          confirmLabel="Deactivate"
          onConfirm={() => deactivate(target)}
          onCancel={() => setTarget(null)}
        />
      )}
    </>
  );
}
