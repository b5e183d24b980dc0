// The running build's version, injected by the bundler from package.json.
declare const __HOLDFAST_VERSION__: string | undefined;

export const appVersion: string = typeof __HOLDFAST_VERSION__ === 'string' ? __HOLDFAST_VERSION__ : '0.0.0-dev';
