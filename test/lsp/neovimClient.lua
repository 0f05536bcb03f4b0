-- A second, independent LSP client for the tests: Neovim's built-in one, headless. Starts
-- `node dist/ringlab.js lsp --stdio`, attaches it to the file in RINGLAB_NVIM_FILE with the
-- settings in RINGLAB_NVIM_MODE, and writes the first diagnostics published for that file to
-- RINGLAB_NVIM_OUT as JSON (or {"error": ...}). Neovim 0.7 API (Debian 12's package).
local file = os.getenv('RINGLAB_NVIM_FILE')
local out = os.getenv('RINGLAB_NVIM_OUT')
local bundle = os.getenv('RINGLAB_NVIM_BUNDLE')
local mode = os.getenv('RINGLAB_NVIM_MODE')

local function write(value)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(value))
  f:close()
end

local result = nil
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)
local client_id = vim.lsp.start_client({
  name = 'ringlab',
  cmd = { 'node', bundle, 'lsp', '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  settings = { ringlab = { lint = { mode = mode } } },
  -- Neovim 0.7 neither pulls nor pushes settings by itself: push them once, as nvim-lspconfig does.
  on_init = function(client)
    client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  end,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, params)
      if params.uri == uri and result == nil then result = params.diagnostics end
    end,
  },
})
if client_id == nil then
  write({ error = 'could not start the server' })
  vim.cmd('qa!')
end
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(30000, function() return result ~= nil end, 20)
if ok then write({ uri = uri, diagnostics = result }) else write({ error = 'no diagnostics within 30 s' }) end
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
