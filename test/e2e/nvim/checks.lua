-- Neovim 0.7 (Debian 12's), headless, as a user's LSP client: starts `recipe-lens server --stdio`,
-- opens a broken recipe, and checks the diagnostics (code, range, message), the hover with the
-- memory table, and the preferred quick fix applied through Neovim's own code-action command,
-- after which the diagnostics clear. Writes a JSON report; exits 0 on success, 1 otherwise.
--   RL_CMD='["node","bin/recipe-lens.js","server","--stdio"]' RL_FILE=x.py RL_OUT=r.json \
--     nvim --headless --clean -n -i NONE -c 'luafile test/e2e/nvim/checks.lua'
-- Only 0.7 APIs: vim.lsp.start_client + buf_attach_client (vim.lsp.start is 0.8).

vim.g.loaded_python3_provider = 0 -- the python ftplugin's provider probe costs a second

local report = { ok = false, steps = {} }
local function step(name, data) report.steps[#report.steps + 1] = { name = name, data = data } end
local function check(cond, msg) if not cond then error(msg, 0) end end

local published = {} -- the raw published diagnostics, by version
local function on_publish(err, result, ctx, config)
  published[#published + 1] = result
  return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
end
local function wait_for(what, fn)
  check(vim.wait(30000, fn, 50), 'timed out waiting for ' .. what)
end

local function run()
  local file = os.getenv('RL_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python'
  local uri = vim.uri_from_bufnr(bufnr)
  local client_id = vim.lsp.start_client({
    name = 'recipe-lens',
    cmd = vim.fn.json_decode(os.getenv('RL_CMD')),
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    flags = { debounce_text_changes = 0 },
    handlers = { ['textDocument/publishDiagnostics'] = on_publish },
  })
  check(client_id, 'the client started')
  vim.lsp.buf_attach_client(bufnr, client_id)
  wait_for('diagnostics', function() return #published > 0 end)

  local diags = published[#published].diagnostics
  local d = diags[1]
  step('diagnostics', diags)
  check(#diags == 1, 'one diagnostic, got ' .. #diags)
  check(d.code == 'RL401' and d.source == 'recipe-lens', 'RL401 from recipe-lens, got ' .. tostring(d.code))
  check(d.range.start.line == 11 and d.range.start.character == 0, 'at line 12')
  check(d.message:find('exceeds the 79.6 GiB of the NVIDIA H100 80GB HBM3 (SXM)', 1, true), 'the message: ' .. d.message)

  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 11, character = 14 } }, 10000)
  local value = hover[client_id].result.contents.value
  step('hover', value)
  check(value:find('**Memory per GPU**', 1, true) and value:find('| activations |', 1, true) and value:find('| capacity | 79.6 |', 1, true), 'the hover has the memory table')

  -- The real code-action command; the choice a user would make is the preferred fix.
  local offered = {}
  vim.ui.select = function(items, _, on_choice)
    for _, item in ipairs(items) do offered[#offered + 1] = item[2].title end
    for _, item in ipairs(items) do
      if item[2].isPreferred then return on_choice(item) end
    end
    on_choice(nil)
  end
  local before = #published
  vim.api.nvim_win_set_cursor(0, { 12, 0 })
  vim.lsp.buf.code_action({ diagnostics = diags, only = { 'quickfix' } })
  wait_for('the fix to be applied', function() return #offered > 0 and vim.fn.search('tensor_model_parallel_size = ', 'nw') > 0 end)
  step('code actions', offered)
  wait_for('the diagnostics to clear', function() return #published > before and #published[#published].diagnostics == 0 end)
  step('cleared', vim.api.nvim_buf_get_lines(bufnr, 0, -1, false))
  vim.lsp.stop_client(client_id)
  report.ok = true
end

local ok, err = pcall(run)
if not ok then report.error = tostring(err) end
local f = io.open(os.getenv('RL_OUT'), 'w')
f:write(vim.fn.json_encode(report))
f:close()
if report.ok then vim.cmd('qall!') else vim.cmd('cquit 1') end
