import { useEffect, useRef, useState } from "react";
import { ApiError, failureText, get, toApiError } from "../api/client";
import type { NotificationPage } from "../api/types";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router-dom";
import { useSession } from "../auth/session";

export function Layout() {
  const { me, signOut, hasRole, expired } = useSession();
  const [signOutError, setSignOutError] = useState<ApiError | null>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!me) return;
    get<NotificationPage>("/api/v1/notifications", { unread: true, limit: 1 }).then(
      (p) => setUnread(p.unread_count),
      () => setUnread(0),
    );
  }, [me, location.pathname]);

  // A route change moves focus to the new page, so screen-reader and keyboard users start there.
  useEffect(() => {
    main.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand" aria-label="Cairn home">
          <span aria-hidden="true">▲</span> Cairn
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Catalog
              </NavLink>
            </li>
            <li>
              <a href="/verify">Verify a credential</a>
            </li>
            {me ? (
              <>
                <li>
                  <NavLink to="/my-work">My work</NavLink>
                </li>
                <li>
                  <NavLink to="/my-credentials">My credentials</NavLink>
                </li>
                {hasRole("reviewer") && (
                  <li>
                    <NavLink to="/reviews">Reviews</NavLink>
                  </li>
                )}
                <li>
                  <NavLink to="/notifications">
                    Notifications{unread > 0 && <span className="badge">{unread}<span className="visually-hidden"> unread</span></span>}
                  </NavLink>
                </li>
                {(hasRole("issuer_admin") || hasRole("district_admin")) && (
                  <li>
                    <NavLink to="/admin">Administration</NavLink>
                  </li>
                )}
                <li className="who">{me.user.display_name}</li>
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={async () => {
                      setSignOutError(null);
                      try {
                        await signOut();
                        navigate("/");
                      } catch (e) {
                        setSignOutError(toApiError(e));
                      }
                    }}
                  >
                    Sign out
                  </button>
                </li>
              </>
            ) : (
              <li>
                <NavLink to="/sign-in">Sign in</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {signOutError && me && (
          <div className="error-panel" role="alert">
            <p>{failureText("Could not sign you out", signOutError)}</p>
          </div>
        )}
        {expired && !me && location.pathname === "/sign-in" && (
          <div className="callout" role="alert">
            <p>
              <strong>Your session has ended, so you were signed out.</strong> Sign in again to go back to the page you were on.
              A draft or review you had not saved yet is kept in this browser and put back when you return.
            </p>
          </div>
        )}
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Cairn: micro-credentials earned by demonstrating competence in the classroom.</p>
      </footer>
    </>
  );
}
