// The browser entry: the app on this page, talking to the Directus at this page's origin (or `?url=`).
// `window.liveApp` lets an end-to-end test drive many writes without typing them.
import { mountLiveList, type LiveList } from './app.ts';

const params = new URLSearchParams(location.search);
const app = mountLiveList(document.querySelector<HTMLElement>('#app')!, {
  url: params.get('url') ?? location.origin,
  token: params.get('token') ?? 'admin-token',
});
(window as unknown as { liveApp: LiveList }).liveApp = app;
