// Entry point: mounts the app shell and opens the live connection.
import { mount } from 'svelte';
import './app.css';
import App from './components/app/App.svelte';
import { live } from './lib/state/live.svelte.js';

mount(App, { target: document.getElementById('app')! });
live.start();
