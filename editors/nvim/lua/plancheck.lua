--- plancheck for Neovim (0.7 and newer): the `plan` filetype and the language server.
---
--- Install: put this folder (`editors/nvim`, the one holding `lua/plancheck.lua`) on your
--- runtimepath and call setup() from your init.lua, e.g.
---
---     vim.opt.runtimepath:append('/path/to/plancheck/editors/nvim')
---     require('plancheck').setup()                  -- `plancheck` must be on $PATH
---     -- or: require('plancheck').setup({ cmd = { '/path/to/plancheck', 'lsp' } })
---
--- (with a plugin manager: lazy.nvim `{ dir = '/path/to/plancheck/editors/nvim' }`.)
---
--- What it does:
---   * `*.plan` files get the filetype `plan` (vim.filetype.add on Neovim 0.8+; on 0.7,
---     where filetype.lua is opt-in, an autocmd as well);
---   * every `plan` buffer is attached to `plancheck lsp` (diagnostics, quick fixes with
---     vim.lsp.buf.code_action(), formatting, hover, symbols, ...). One server runs per
---     project root: the nearest folder above the file holding `plancheck.toml` or `.git`,
---     else the file's own folder. Uses vim.lsp.start when it exists (0.8+), else
---     vim.lsp.start_client + vim.lsp.buf_attach_client. No nvim-lspconfig needed.
---
--- setup(opts) options (all optional):
---   cmd          = { 'plancheck', 'lsp' }       the server command
---   root_markers = { 'plancheck.toml', '.git' }  what marks a project root
---   init_options = { lang = 'en', rules = { ['near-duplicate-text'] = 'off' } }
---                                               messages in English (default Japanese),
---                                               rule severities over plancheck.toml
---   highlight    = true                         tree-sitter highlighting of plan buffers
---                                               when the parser is installed (see below)
---   any other vim.lsp client option (on_attach, capabilities, handlers, on_exit, ...).
---
--- Tree-sitter (highlighting, folding with foldexpr=nvim_treesitter#foldexpr() or
--- vim.treesitter.foldexpr(), indentation with nvim-treesitter): the queries are in
--- `editors/nvim/queries/plan/` (on the runtimepath with this folder). The parser:
---   * `:PlancheckBuildParser` (or require('plancheck').build_parser()) compiles the
---     grammar of this checkout with the C compiler (`cc`) into
---     stdpath('data')/site/parser/plan.so, which every Neovim from 0.7 finds;
---   * or, with nvim-treesitter (master branch), setup() registers `plan` and
---     `:TSInstall plan` builds it from this checkout's `grammar/`.
local M = {}

local defaults = { name = 'plancheck', cmd = { 'plancheck', 'lsp' }, root_markers = { 'plancheck.toml', '.git' }, highlight = true }
local config = vim.deepcopy(defaults)
local clients = {} -- root folder -> client id (Neovim 0.7 only; vim.lsp.start reuses by itself)

--- Registers the `plan` filetype for `*.plan`.
function M.filetype()
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { plan = 'plan' } })
  end
  if vim.fn.has('nvim-0.8') == 0 then -- 0.7 reads vim.filetype.add only with g:do_filetype_lua
    vim.cmd([[
      augroup plancheck_filetype
        autocmd!
        autocmd BufRead,BufNewFile *.plan setfiletype plan
      augroup END
    ]])
  end
end

--- The project root of a file: the nearest folder holding a root marker, else its folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local current = dir
  while true do
    for _, marker in ipairs(config.root_markers) do
      if vim.loop.fs_stat(current .. '/' .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then
      return dir
    end
    current = parent
  end
end

--- Starts (or reuses) the server for a buffer's project and attaches it; returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil -- the server works on files
  end
  local client_config = vim.tbl_extend('force', {}, config, { root_dir = M.root_dir(name) })
  client_config.root_markers = nil
  if vim.lsp.start then
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end
  local id = clients[client_config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config)
    clients[client_config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- The `grammar/` folder of the plancheck checkout this file belongs to.
function M.grammar_dir()
  local this = debug.getinfo(1, 'S').source:sub(2) -- editors/nvim/lua/plancheck.lua
  return vim.fn.fnamemodify(this, ':p:h:h:h:h') .. '/grammar'
end

--- Compiles the grammar into a parser Neovim loads (`dest`, by default
--- stdpath('data')/site/parser/plan.so). Returns the path, or nil and why.
function M.build_parser(dest)
  dest = dest or (vim.fn.stdpath('data') .. '/site/parser/plan.so')
  local src = M.grammar_dir() .. '/src'
  if vim.fn.filereadable(src .. '/parser.c') == 0 then
    return nil, 'no grammar at ' .. src
  end
  local cc = vim.env.CC or 'cc'
  if vim.fn.executable(cc) == 0 then
    return nil, ('no C compiler (%s) on PATH'):format(cc)
  end
  vim.fn.mkdir(vim.fn.fnamemodify(dest, ':h'), 'p')
  local output = vim.fn.system({ cc, '-shared', '-fPIC', '-O2', '-I', src, src .. '/parser.c', src .. '/scanner.c', '-o', dest })
  if vim.v.shell_error ~= 0 then
    return nil, ('%s failed: %s'):format(cc, output)
  end
  return dest
end

--- Whether Neovim can load the `plan` parser (loading it if so): from the
--- runtimepath (`parser/plan.so`), else from where build_parser() puts it (a
--- folder created after startup is not on the runtimepath yet).
function M.has_parser()
  local built = vim.fn.stdpath('data') .. '/site/parser/plan.so'
  local function load(path)
    if vim.treesitter.language.add then -- 0.9+
      local ok, loaded = pcall(vim.treesitter.language.add, 'plan', path and { path = path } or nil)
      return ok and loaded ~= false
    end
    return (pcall(vim.treesitter.require_language, 'plan', path)) -- 0.7, 0.8
  end
  return load(nil) or (vim.fn.filereadable(built) == 1 and load(built))
end

--- Starts tree-sitter highlighting in a buffer; returns whether it could.
function M.highlight(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not M.has_parser() then
    return false
  end
  if vim.treesitter.start then -- 0.8+
    return (pcall(vim.treesitter.start, bufnr, 'plan'))
  end
  local ok, parser = pcall(vim.treesitter.get_parser, bufnr, 'plan')
  if not ok then
    return false
  end
  vim.treesitter.highlighter.new(parser)
  return true
end

--- Registers `plan` with nvim-treesitter (master branch), when it is installed.
local function register_with_nvim_treesitter()
  local ok, parsers = pcall(require, 'nvim-treesitter.parsers')
  if not ok or type(parsers.get_parser_configs) ~= 'function' then
    return
  end
  parsers.get_parser_configs().plan = {
    install_info = { url = M.grammar_dir(), files = { 'src/parser.c', 'src/scanner.c' } },
    filetype = 'plan',
  }
end

--- Registers the filetype and attaches the server to every `plan` buffer, now and later.
function M.setup(opts)
  config = vim.tbl_extend('force', vim.deepcopy(defaults), opts or {})
  M.filetype()
  register_with_nvim_treesitter()
  vim.api.nvim_create_user_command('PlancheckBuildParser', function()
    local path, err = M.build_parser()
    if path then
      vim.notify('plancheck: parser built at ' .. path)
    else
      vim.notify('plancheck: ' .. err, vim.log.levels.ERROR)
    end
  end, { desc = 'Compile the plan tree-sitter parser of this plancheck checkout' })
  local highlight = config.highlight
  config.highlight = nil -- not a client option
  local group = vim.api.nvim_create_augroup('plancheck_lsp', { clear = true })
  local function on_plan(bufnr)
    M.attach(bufnr)
    if highlight then
      M.highlight(bufnr)
    end
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'plan',
    callback = function(args) on_plan(args.buf) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'plan' then
      on_plan(bufnr)
    end
  end
end

return M
