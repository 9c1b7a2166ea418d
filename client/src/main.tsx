// Entry point: the fixed client routes of the brief, under one layout (the board goes full screen).
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, NavLink, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import './styles.css';
import { t, useLanguage } from './i18n';
import { LanguageSwitch } from './components/LanguageSwitch';
import { OnDemand } from './components/OnDemand';
import { JoinPage } from './pages/JoinPage';

// Each page but the front door loads on demand: a voter's phone never fetches the console, and the
// board never fetches the ballot. The join page stays in the entry so `/` paints at once.
const AdminPage = lazy(() => import('./pages/AdminPage').then((m) => ({ default: m.AdminPage })));
const BoardPage = lazy(() => import('./pages/BoardPage').then((m) => ({ default: m.BoardPage })));
const VotePage = lazy(() => import('./pages/VotePage').then((m) => ({ default: m.VotePage })));
const ReceiptPage = lazy(() =>
  import('./pages/ReceiptPage').then((m) => ({ default: m.ReceiptPage })),
);

function Layout() {
  // A new address starts afresh, even after a page's code failed to arrive.
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {t.appName}
        </Link>
        <nav aria-label={t.nav.main} className="topnav">
          <NavLink to="/" end>
            {t.nav.join}
          </NavLink>
          <NavLink to="/receipt">{t.nav.receipt}</NavLink>
          <NavLink to="/admin">{t.nav.admin}</NavLink>
        </nav>
        <LanguageSwitch />
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <OnDemand key={pathname}>
          <Outlet />
        </OnDemand>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <div className="card narrow">
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundBody}</p>
      <Link className="btn btn-primary" to="/">
        {t.goHome}
      </Link>
    </div>
  );
}

export function App() {
  // Every page reads `t` as it renders: re-rendering from the top switches them all at once.
  useLanguage();
  return (
    <Routes>
      <Route
        path="/board/:id"
        element={
          <OnDemand>
            <BoardPage />
            <LanguageSwitch className="board-lang" />
          </OnDemand>
        }
      />
      <Route element={<Layout />}>
        <Route path="/" element={<JoinPage />} />
        <Route path="/vote/:joinCode" element={<VotePage />} />
        <Route path="/receipt" element={<ReceiptPage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  );
}
