// Entry point: starts loading the execution the URL opens, mounts the app shell and opens the live connection.
import { mount } from 'svelte';
import './app.css';
import App from './components/app/App.svelte';
import { openedTraceId } from './lib/model/routes.js';
import { startEarlyOutline } from './lib/state/early-outline.js';
import { live } from './lib/state/live.svelte.js';

const opened = openedTraceId(location.pathname, location.search);
if (opened) startEarlyOutline(opened);
mount(App, { target: document.getElementById('app')! });
live.start();
