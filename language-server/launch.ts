// How a host should start the server's Node process (the extension does; the bench measures it
// so). A first lint of a large file allocates more than V8's default young generation (16 MiB
// semi-spaces), so a scavenge ran in the middle of it and copied everything the analysis keeps
// (about 6 MiB for 50,000 lines): tens of milliseconds before the first diagnostics. With room for
// the whole lint, that garbage is collected later, while the server is idle. The young generation
// grows only as it is used: a server with small files open keeps its usual size.

/** Node options placed before the script: `node OPTIONS ringlab.js lsp --stdio`. */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=64'];
