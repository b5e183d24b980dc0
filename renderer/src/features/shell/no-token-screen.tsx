// Shown in a browser tab that has no access token for holdfast web.
export function NoTokenScreen() {
  return (
    <div className="center-screen" data-testid="no-token">
      <div className="panel">
        <h1>Open Holdfast from its link</h1>
        <p>
          This page needs the access link that <code>holdfast web</code> printed when it started. It looks like <code>http://127.0.0.1:7420/#token=…</code>. The link
          changes every time <code>holdfast web</code> starts.
        </p>
      </div>
    </div>
  );
}
