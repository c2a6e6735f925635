/* parser.y - the bison grammar of rule files: a pure LALR(1) parser with
 * locations, no conflicts, and error recovery at declaration and rule-clause
 * level so one run reports several syntax errors. Builds the AST (ast.h). */
%define api.pure full
%define api.prefix {zz}
%define api.token.prefix {TOK_}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {LexState *ls}

%code requires {
#include "lexer.h"
}

%code provides {
int zzlex(ZZSTYPE *lval, ZZLTYPE *lloc, void *scanner);
}

%code {
#include <string.h>
#include <stdlib.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).first_line = YYRHSLOC(Rhs, 1).first_line;           \
            (Cur).first_column = YYRHSLOC(Rhs, 1).first_column;       \
            (Cur).first_off = YYRHSLOC(Rhs, 1).first_off;             \
            (Cur).last_line = YYRHSLOC(Rhs, N).last_line;             \
            (Cur).last_column = YYRHSLOC(Rhs, N).last_column;         \
            (Cur).last_off = YYRHSLOC(Rhs, N).last_off;               \
        } else {                                                      \
            (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line;       \
            (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column; \
            (Cur).first_off = (Cur).last_off = YYRHSLOC(Rhs, 0).last_off;          \
        }                                                             \
    } while (0)

#define YYMAXDEPTH 5000
#define L(l) lex_loc(ls, &(l))
#define A (ls->arena)

enum { EXPR_MAX_DEPTH = 256 };

static int expr_depth(const Expr *e) { return e ? (int)e->ival_depth : 0; }

static Expr *mk(LexState *ls, ExprKind kind, ZZLTYPE loc)
{
    Expr *e = arena_alloc(ls->arena, sizeof *e);
    e->kind = kind;
    e->loc = lex_loc(ls, &loc);
    e->ival_depth = 1;
    return e;
}

/* `every week from X` or `every N week [from X]`: a syntax error at `bad`
 * (from, or week) with the form meant in a note; the period is read as meant
 * (`every 1 weeks from X`, `every N weeks [from X]`) so the rest is checked. */
static PeriodSpec *week_slip(LexState *ls, PeriodSpec *anchor, ZZLTYPE all, ZZLTYPE bad, Expr *count,
                             const ZZLTYPE *count_at)
{
    ls->syntax_errors++;
    SrcLoc at = lex_loc(ls, &bad);
    Diag *d = diag_report(ls->diag, DIAG_E0100, at, D_WEEK_SLIP, count ? "'week'" : "'from'",
                          diag_word(count ? D_W_WEEKS_COUNT : D_W_WEEK_NO_ANCHOR));
    SrcLoc n = count_at ? lex_loc(ls, count_at) : at;
    if (d)
        diag_note(ls->diag, d, (SrcLoc){0}, D_DID_YOU_MEAN_EVERY_WEEKS, count ? (int)(n.end - n.off) : 1,
                  count ? n.src->text + n.off : "1", anchor ? " from" : "");
    PeriodSpec *p = anchor ? anchor : arena_alloc(ls->arena, sizeof *p);
    p->loc = lex_loc(ls, &all);
    p->kind = PER_WEEKS;
    if (!count) {
        count = mk(ls, EX_INT, bad);
        count->ival = 1;
    }
    p->count = count;
    return p;
}

/* Tracks tree depth so later recursive passes are bounded; reports once. */
static Expr *deepen(LexState *ls, Expr *e, const Expr *a, const Expr *b)
{
    int d = expr_depth(a) > expr_depth(b) ? expr_depth(a) : expr_depth(b);
    for (int i = 0; i < e->args.len; i++)
        if (expr_depth(e->args.items[i]) > d) d = expr_depth(e->args.items[i]);
    e->ival_depth = d + 1;
    if (e->ival_depth > EXPR_MAX_DEPTH) {
        if (!ls->depth_reported)
            diag_report(ls->diag, DIAG_E0101, e->loc, D_EXPRESSION_NESTED_TOO_DEEPLY_MORE, EXPR_MAX_DEPTH);
        ls->depth_reported = true;
        /* cut the tree here so no later pass recurses through it */
        e->lhs = e->rhs = NULL;
        e->args.len = 0;
        e->kind = EX_BOOL;
        e->poisoned = true;
        e->ival_depth = 1;
    }
    return e;
}

static Expr *binary(LexState *ls, ExprOp op, Expr *a, Expr *b, ZZLTYPE loc)
{
    Expr *e = mk(ls, EX_BINARY, loc);
    e->op = op;
    e->lhs = a;
    e->rhs = b;
    return deepen(ls, e, a, b);
}

static Expr *unary(LexState *ls, ExprOp op, Expr *a, ZZLTYPE loc)
{
    Expr *e = mk(ls, EX_UNARY, loc);
    e->op = op;
    e->lhs = a;
    return deepen(ls, e, a, NULL);
}

static Decl *decl(LexState *ls, DeclKind kind, ZZLTYPE loc)
{
    Decl *d = arena_alloc(ls->arena, sizeof *d);
    d->kind = kind;
    d->loc = lex_loc(ls, &loc);
    return d;
}

static RuleClause *clause(LexState *ls, ClauseKind kind, ZZLTYPE loc)
{
    RuleClause *c = arena_alloc(ls->arena, sizeof *c);
    c->kind = kind;
    c->loc = lex_loc(ls, &loc);
    return c;
}

static void zzerror(ZZLTYPE *loc, void *scanner, LexState *ls, const char *msg);
}

%union {
    const char *str;
    int64_t ival;
    struct { int64_t local_seconds; bool has_time, has_offset; int offset_seconds; } time;
    Expr *expr;
    ExprList exprs;
    NameList names;
    TypeRef *type;
    Decl *decl;
    FieldDecl *field;
    FieldList fields;
    EnumMember *member;
    MemberList members;
    RuleClause *clause;
    ClauseList clauses;
    Binding *binding;
    PtrVec vec;
    PeriodSpec *period;
    Param *param;
    ParamList params;
    HeaderEntry *entry;
    Severity severity;
    SelectKind select;
    ExprOp op;
}

%token <str> IDENT "name" STRING "string"
%token <ival> INT "integer" DURATION "duration" CLOCK "time of day"
%token <time> TIME "date or time"
%token <str> POLICY "'policy'" EXTENDS "'extends'" ROLE "'role'" BODY "'body'" ENUM "'enum'"
             EVENTS "'events'" EVENT "'event'" ROSTER "'roster'" TABLE "'table'" CALENDAR "'calendar'"
             KEY "'key'" PARAM "'param'" DEF "'def'" RULE "'rule'" RENAME "'rename'" TO "'to'" SET "'set'"
             OVERRIDE "'override'" REPLACE "'replace'" DISABLE "'disable'" BECAUSE "'because'"
             TAGS "'tags'" CLAUSE "'clause'" SEVERITY "'severity'" MUST "'must'" IN_PRINCIPLE "'in-principle'"
             EVERY "'every'" DAY "'day'" WEEK "'week'" WEEKS "'weeks'" MONTH "'month'" YEAR "'year'"
             FROM "'from'" AS "'as'" UNLESS "'unless'" OVERLAPS "'overlaps'" ON "'on'" WHERE "'where'"
             FOR "'for'" IN "'in'" LET "'let'" WHEN "'when'" ELSE "'else'" PENDING "'pending'"
             REQUIRE "'require'" DEADLINE "'deadline'" SUBJECTS "'subjects'" EVIDENCE "'evidence'"
             MESSAGE "'message'" AND "'and'" OR "'or'" NOT "'not'" TRUE "'true'" FALSE "'false'"
             AT "'at'" THROUGHOUT "'throughout'" EXISTS "'exists'" COUNT "'count'" LATEST "'latest'"
             FIRST "'first'" LIST "'list'" ONLY "'only'" WITHIN "'within'"
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='" DOTDOT "'..'"

%type <expr> expr postfix primary select literal opt_where opt_filter
%type <exprs> exprs opt_exprs
%type <names> typelist tags
%type <str> fname tagname opt_value
%type <type> type
%type <decl> decl header
%type <entry> header_entry
%type <vec> header_entries bindings
%type <field> field evfield
%type <fields> fields evfields
%type <member> member
%type <members> members
%type <clause> clause
%type <clauses> clauses
%type <binding> binding
%type <period> period week_anchor
%type <param> param
%type <params> params opt_params
%type <severity> severity
%type <select> selkind
%type <op> calop

%left OR
%left AND
%right NOT
%nonassoc EQ NE '<' LE '>' GE IN WITHIN OVERLAPS
%left '|'
%left '&'
%left '+' '-'
%precedence UMINUS

%%

file
    : decls
    ;

decls
    : %empty
    | decls decl                 { if ($2) AST_PUSH(A, ls->file->decls, $2); }
    | decls error                { }
    ;

decl
    : header                     { $$ = $1; }
    | EXTENDS STRING             { $$ = decl(ls, D_EXTENDS, @$); $$->text = $2; $$->text_loc = L(@2); }
    | ROLE members               { $$ = decl(ls, D_ROLE, @$); $$->members = $2; }
    | BODY members               { $$ = decl(ls, D_BODY, @$); $$->members = $2; }
    | ENUM IDENT '{' members opt_comma '}'
                                 { $$ = decl(ls, D_ENUM, @$); $$->name = $2; $$->name_loc = L(@2); $$->members = $4; }
    | EVENTS STRING '{' fields '}'
                                 { $$ = decl(ls, D_EVENTS, @$); $$->text = $2; $$->text_loc = L(@2); $$->fields = $4; }
    | EVENT IDENT opt_value '{' evfields '}'
                                 { $$ = decl(ls, D_EVENT, @$); $$->name = $2; $$->name_loc = L(@2);
                                   $$->text = $3 ? $3 : $2; $$->text_loc = L(@3); $$->fields = $5; }
    | ROSTER IDENT STRING '{' fields '}'
                                 { $$ = decl(ls, D_ROSTER, @$); $$->name = $2; $$->name_loc = L(@2);
                                   $$->text = $3; $$->text_loc = L(@3); $$->fields = $5; }
    | TABLE IDENT STRING KEY fname '{' fields '}'
                                 { $$ = decl(ls, D_TABLE, @$); $$->name = $2; $$->name_loc = L(@2);
                                   $$->text = $3; $$->text_loc = L(@3); $$->key = $5; $$->key_loc = L(@5); $$->fields = $7; }
    | CALENDAR IDENT STRING '{' fields '}'
                                 { $$ = decl(ls, D_CALENDAR, @$); $$->name = $2; $$->name_loc = L(@2);
                                   $$->text = $3; $$->text_loc = L(@3); $$->fields = $5; }
    | PARAM IDENT ':' type '=' expr
                                 { $$ = decl(ls, D_PARAM, @$); $$->name = $2; $$->name_loc = L(@2); $$->type = $4; $$->expr = $6; }
    | PARAM IDENT '=' expr       { $$ = decl(ls, D_PARAM, @$); $$->name = $2; $$->name_loc = L(@2); $$->expr = $4; }
    | DEF IDENT '(' opt_params ')' '=' expr
                                 { $$ = decl(ls, D_DEF, @$); $$->name = $2; $$->name_loc = L(@2); $$->params = $4; $$->expr = $7; }
    | RULE IDENT '{' clauses '}' { $$ = decl(ls, D_RULE, @$); $$->name = $2; $$->name_loc = L(@2); $$->clauses = $4; }
    | RENAME ROLE IDENT TO IDENT { $$ = decl(ls, D_RENAME, @$); $$->rename_what = D_ROLE;
                                   $$->name = $3; $$->name_loc = L(@3); $$->new_name = $5; $$->new_name_loc = L(@5); }
    | RENAME BODY IDENT TO IDENT { $$ = decl(ls, D_RENAME, @$); $$->rename_what = D_BODY;
                                   $$->name = $3; $$->name_loc = L(@3); $$->new_name = $5; $$->new_name_loc = L(@5); }
    | RENAME RULE IDENT TO IDENT { $$ = decl(ls, D_RENAME, @$); $$->rename_what = D_RULE;
                                   $$->name = $3; $$->name_loc = L(@3); $$->new_name = $5; $$->new_name_loc = L(@5); }
    | SET IDENT '=' expr         { $$ = decl(ls, D_SET, @$); $$->name = $2; $$->name_loc = L(@2); $$->expr = $4; }
    | OVERRIDE RULE IDENT '{' clauses '}'
                                 { $$ = decl(ls, D_OVERRIDE, @$); $$->name = $3; $$->name_loc = L(@3); $$->clauses = $5; }
    | REPLACE RULE IDENT '{' clauses '}'
                                 { $$ = decl(ls, D_REPLACE, @$); $$->name = $3; $$->name_loc = L(@3); $$->clauses = $5; }
    | DISABLE RULE IDENT BECAUSE STRING
                                 { $$ = decl(ls, D_DISABLE, @$); $$->name = $3; $$->name_loc = L(@3); $$->text = $5; $$->text_loc = L(@5); }
    ;

header
    : POLICY IDENT '{' header_entries '}'
                                 { $$ = decl(ls, D_POLICY, @$); $$->name = $2; $$->name_loc = L(@2);
                                   $$->entries = (HeaderEntry **)$4.items; $$->nentries = $4.len; }
    ;

header_entries
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | header_entries header_entry { $$ = $1; ptrvec_push(A, &$$, $2); }
    ;

header_entry
    : IDENT literal              { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->key = $1; $$->value = $2; }
    ;

literal
    : STRING                     { $$ = mk(ls, EX_STRING, @$); $$->text = $1; }
    | INT                        { $$ = mk(ls, EX_INT, @$); $$->ival = $1; }
    | DURATION                   { $$ = mk(ls, EX_DURATION, @$); $$->ival = $1; }
    | CLOCK                      { $$ = mk(ls, EX_DURATION, @$); $$->ival = $1; $$->clock = true; }
    | TIME                       { $$ = mk(ls, EX_TIME, @$); $$->tval.local_seconds = $1.local_seconds;
                                   $$->tval.has_time = $1.has_time; $$->tval.has_offset = $1.has_offset;
                                   $$->tval.offset_seconds = $1.offset_seconds; }
    | TRUE                       { $$ = mk(ls, EX_BOOL, @$); $$->ival = 1; }
    | FALSE                      { $$ = mk(ls, EX_BOOL, @$); $$->ival = 0; }
    ;

opt_value
    : %empty                     { $$ = NULL; }
    | '=' STRING                 { $$ = $2; }
    ;

opt_comma
    : %empty
    | ','
    ;

members
    : member                     { memset(&$$, 0, sizeof $$); AST_PUSH(A, $$, $1); }
    | members ',' member         { $$ = $1; AST_PUSH(A, $$, $3); }
    ;

member
    : IDENT opt_value            { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@1); $$->name = $1; $$->value = $2 ? $2 : $1; }
    ;

fname
    : IDENT | FROM | TO | KEY | EVENT | ROLE | BODY | TABLE | CALENDAR | FIRST | LATEST | COUNT
    | DAY | WEEK | MONTH | YEAR | MESSAGE | SET | LIST | TAGS | CLAUSE | SEVERITY | ON | AT | ONLY | WITHIN
    ;

fields
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | fields field               { $$ = $1; AST_PUSH(A, $$, $2); }
    | fields ','                 { $$ = $1; }
    | fields error               { $$ = $1; }
    ;

field
    : fname ':' type opt_value   { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; $$->type = $3;
                                   $$->column = $4 ? $4 : $1; $$->column_loc = $4 ? L(@4) : L(@1); }
    | fname '?' ':' type opt_value
                                 { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; $$->type = $4;
                                   $$->column = $5 ? $5 : $1; $$->column_loc = $5 ? L(@5) : L(@1); $$->optional = true; }
    ;

evfields
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | evfields evfield           { $$ = $1; AST_PUSH(A, $$, $2); }
    | evfields ','               { $$ = $1; }
    | evfields error             { $$ = $1; }
    ;

evfield
    : fname                      { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; }
    | fname ':' type             { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; $$->type = $3; }
    ;

type
    : IDENT                      { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; }
    | ROLE                       { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = "role"; }
    | BODY                       { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = "body"; }
    | EVENT                      { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = "event"; }
    | LIST IDENT                 { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $2; $$->is_list = true; }
    | LIST ROLE                  { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = "role"; $$->is_list = true; }
    | LIST BODY                  { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = "body"; $$->is_list = true; }
    ;

opt_params
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | params                     { $$ = $1; }
    ;

params
    : param                      { memset(&$$, 0, sizeof $$); AST_PUSH(A, $$, $1); }
    | params ',' param           { $$ = $1; AST_PUSH(A, $$, $3); }
    ;

param
    : IDENT ':' type             { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->name = $1; $$->type = $3; }
    ;

/* ---- rules ------------------------------------------------------------- */

clauses
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | clauses clause             { $$ = $1; AST_PUSH(A, $$, $2); }
    | clauses error              { $$ = $1; $$.broken = true; }
    ;

clause
    : TAGS tags                  { $$ = clause(ls, CL_TAGS, @$); $$->names = $2; }
    | CLAUSE STRING STRING       { $$ = clause(ls, CL_CLAUSE, @$); $$->text = $2; $$->text_loc = L(@2); $$->clause_text = $3; }
    | SEVERITY severity          { $$ = clause(ls, CL_SEVERITY, @$); $$->severity = $2; }
    | EVERY period               { $$ = clause(ls, CL_EVERY, @$); $$->period = $2; }
    | UNLESS calop IDENT opt_filter
                                 { $$ = clause(ls, CL_UNLESS, @$); $$->cal_op = $2; $$->table = $3; $$->table_loc = L(@3); $$->expr = $4; }
    | ONLY calop IDENT opt_filter
                                 { $$ = clause(ls, CL_ONLY, @$); $$->cal_op = $2; $$->table = $3; $$->table_loc = L(@3); $$->expr = $4; }
    | ON IDENT ':' typelist opt_where
                                 { $$ = clause(ls, CL_ON, @$); $$->var = $2; $$->var_loc = L(@2); $$->names = $4; $$->expr = $5; }
    | FOR bindings               { $$ = clause(ls, CL_FOR, @$); $$->bindings = (Binding **)$2.items; $$->nbindings = $2.len; }
    | LET IDENT '=' expr         { $$ = clause(ls, CL_LET, @$); $$->var = $2; $$->var_loc = L(@2); $$->expr = $4; }
    | WHEN expr                  { $$ = clause(ls, CL_WHEN, @$); $$->expr = $2; }
    | WHEN expr ELSE PENDING     { $$ = clause(ls, CL_WHEN, @$); $$->expr = $2; $$->else_pending = true; }
    | REQUIRE expr               { $$ = clause(ls, CL_REQUIRE, @$); $$->expr = $2; }
    | DEADLINE expr              { $$ = clause(ls, CL_DEADLINE, @$); $$->expr = $2; }
    | SUBJECTS exprs             { $$ = clause(ls, CL_SUBJECTS, @$); $$->list = $2; }
    | EVIDENCE exprs             { $$ = clause(ls, CL_EVIDENCE, @$); $$->list = $2; }
    | MESSAGE STRING             { $$ = clause(ls, CL_MESSAGE, @$); $$->text = $2; $$->text_loc = L(@2); }
    ;

calop
    : OVERLAPS                   { $$ = OP_OVERLAPS; }
    | WITHIN                     { $$ = OP_WITHIN; }
    ;

severity
    : MUST                       { $$ = SEV_MUST; }
    | IN_PRINCIPLE               { $$ = SEV_IN_PRINCIPLE; }
    ;

tags
    : tagname                    { memset(&$$, 0, sizeof $$); namelist_push(A, &$$, $1, L(@1)); }
    | STRING                     { memset(&$$, 0, sizeof $$); namelist_push(A, &$$, $1, L(@1)); }
    | tags ',' tagname           { $$ = $1; namelist_push(A, &$$, $3, L(@3)); }
    | tags ',' STRING            { $$ = $1; namelist_push(A, &$$, $3, L(@3)); }
    ;

tagname
    : IDENT                      { $$ = $1; }
    | tagname '.' fname          { $$ = arena_printf(A, "%s.%s", $1, $3); }
    ;

period
    : DAY                        { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_DAY; }
    | WEEK                       { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_WEEK; }
    | MONTH                      { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_MONTH; }
    | YEAR                       { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_YEAR; }
    | primary WEEKS              { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_WEEKS; $$->count = $1; }
    | primary WEEKS FROM literal { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_WEEKS; $$->count = $1; $$->anchor = $4; }
    | primary WEEKS FROM IDENT opt_filter
                                 { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_WEEKS; $$->count = $1;
                                   $$->table = $4; $$->table_loc = L(@4); $$->filter = $5; }
    | IDENT opt_filter           { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->kind = PER_CALENDAR;
                                   $$->table = $1; $$->table_loc = L(@1); $$->filter = $2; }
    | period AS IDENT            { $$ = $1; $$->var = $3; $$->var_loc = L(@3); }
    /* common slips, read as meant so the error can show the form */
    | WEEK FROM week_anchor      { $$ = week_slip(ls, $3, @$, @2, NULL, NULL); }
    | primary WEEK               { $$ = week_slip(ls, NULL, @$, @2, $1, &@1); }
    | primary WEEK FROM week_anchor
                                 { $$ = week_slip(ls, $4, @$, @2, $1, &@1); }
    ;

week_anchor
    : literal                    { $$ = arena_alloc(A, sizeof *$$); $$->anchor = $1; }
    | IDENT opt_filter           { $$ = arena_alloc(A, sizeof *$$); $$->table = $1; $$->table_loc = L(@1); $$->filter = $2; }
    ;

opt_filter
    : %empty                     { $$ = NULL; }
    | WHERE expr                 { $$ = $2; }
    ;

opt_where
    : %empty                     { $$ = NULL; }
    | WHERE expr                 { $$ = $2; }
    ;

typelist
    : IDENT                      { memset(&$$, 0, sizeof $$); namelist_push(A, &$$, $1, L(@1)); }
    | EVENT                      { memset(&$$, 0, sizeof $$); namelist_push(A, &$$, "event", L(@1)); }
    | typelist OR IDENT          { $$ = $1; namelist_push(A, &$$, $3, L(@3)); }
    ;

bindings
    : binding                    { memset(&$$, 0, sizeof $$); ptrvec_push(A, &$$, $1); }
    | bindings ',' binding       { $$ = $1; ptrvec_push(A, &$$, $3); }
    ;

binding
    : IDENT IN expr opt_where    { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->var = $1; $$->var_loc = L(@1);
                                   $$->coll = $3; $$->filter = $4; }
    | '{' IDENT ',' IDENT '}' IN expr opt_where
                                 { $$ = arena_alloc(A, sizeof *$$); $$->loc = L(@$); $$->var = $2; $$->var_loc = L(@2);
                                   $$->var2 = $4; $$->var2_loc = L(@4); $$->coll = $7; $$->filter = $8; }
    ;

/* ---- expressions ------------------------------------------------------- */

expr
    : expr OR expr               { $$ = binary(ls, OP_OR, $1, $3, @$); }
    | expr AND expr              { $$ = binary(ls, OP_AND, $1, $3, @$); }
    | NOT expr                   { $$ = unary(ls, OP_NOT, $2, @$); }
    | expr EQ expr               { $$ = binary(ls, OP_EQ, $1, $3, @$); }
    | expr NE expr               { $$ = binary(ls, OP_NE, $1, $3, @$); }
    | expr '<' expr              { $$ = binary(ls, OP_LT, $1, $3, @$); }
    | expr LE expr               { $$ = binary(ls, OP_LE, $1, $3, @$); }
    | expr '>' expr              { $$ = binary(ls, OP_GT, $1, $3, @$); }
    | expr GE expr               { $$ = binary(ls, OP_GE, $1, $3, @$); }
    | expr IN expr               { $$ = binary(ls, OP_IN, $1, $3, @$); }
    | expr NOT IN expr %prec IN  { $$ = binary(ls, OP_NOT_IN, $1, $4, @$); }
    | expr WITHIN expr           { $$ = binary(ls, OP_WITHIN, $1, $3, @$); }
    | expr OVERLAPS expr         { $$ = binary(ls, OP_OVERLAPS, $1, $3, @$); }
    | expr '|' expr              { $$ = binary(ls, OP_UNION, $1, $3, @$); }
    | expr '&' expr              { $$ = binary(ls, OP_INTER, $1, $3, @$); }
    | expr '+' expr              { $$ = binary(ls, OP_PLUS, $1, $3, @$); }
    | expr '-' expr              { $$ = binary(ls, OP_MINUS, $1, $3, @$); }
    | '-' expr %prec UMINUS      { $$ = unary(ls, OP_NEG, $2, @$); }
    | postfix                    { $$ = $1; }
    | postfix AT postfix         { $$ = mk(ls, EX_ROLE_AT, @$); $$->lhs = $1; $$->rhs = $3; $$ = deepen(ls, $$, $1, $3); }
    | postfix THROUGHOUT postfix { $$ = mk(ls, EX_ROLE_OVER, @$); $$->lhs = $1; $$->rhs = $3; $$ = deepen(ls, $$, $1, $3); }
    ;

postfix
    : primary                    { $$ = $1; }
    | postfix '.' fname          { $$ = mk(ls, EX_FIELD, @$); $$->lhs = $1; $$->name = $3; $$->name_loc = L(@3); $$ = deepen(ls, $$, $1, NULL); }
    | postfix '.' fname '(' opt_exprs ')'
                                 { $$ = mk(ls, EX_CALL, @$); $$->lhs = $1; $$->name = $3; $$->name_loc = L(@3); $$->args = $5;
                                   $$ = deepen(ls, $$, $1, NULL); }
    | postfix '[' expr ']'       { $$ = mk(ls, EX_INDEX, @$); $$->lhs = $1; $$->rhs = $3; $$ = deepen(ls, $$, $1, $3); }
    ;

primary
    : IDENT                      { $$ = mk(ls, EX_NAME, @$); $$->name = $1; $$->name_loc = L(@1); }
    | FROM                       { $$ = mk(ls, EX_NAME, @$); $$->name = "from"; $$->name_loc = L(@1); } /* a calendar row's, bare */
    | TO                         { $$ = mk(ls, EX_NAME, @$); $$->name = "to"; $$->name_loc = L(@1); }
    | IDENT '(' opt_exprs ')'    { $$ = mk(ls, EX_CALL, @$); $$->name = $1; $$->name_loc = L(@1); $$->args = $3; $$ = deepen(ls, $$, NULL, NULL); }
    | literal                    { $$ = $1; }
    | '(' expr ')'               { $$ = $2; }
    | '{' opt_exprs '}'          { $$ = mk(ls, EX_SET, @$); $$->args = $2; $$ = deepen(ls, $$, NULL, NULL); }
    | CLOCK DOTDOT CLOCK         { $$ = mk(ls, EX_WINDOW, @$); $$->lhs = mk(ls, EX_DURATION, @1); $$->lhs->ival = $1;
                                   $$->lhs->clock = true; $$->rhs = mk(ls, EX_DURATION, @3); $$->rhs->ival = $3;
                                   $$->rhs->clock = true; }
    | select                     { $$ = $1; }
    ;

select
    : selkind '(' IDENT ':' typelist WHERE expr ')'
                                 { $$ = mk(ls, EX_SELECT, @$); $$->select = $1; $$->name = $3; $$->name_loc = L(@3);
                                   $$->types = $5; $$->rhs = $7; $$ = deepen(ls, $$, $7, NULL); }
    | selkind '(' IDENT ':' typelist ')'
                                 { $$ = mk(ls, EX_SELECT, @$); $$->select = $1; $$->name = $3; $$->name_loc = L(@3);
                                   $$->types = $5; }
    ;

selkind
    : EXISTS                     { $$ = SEL_EXISTS; }
    | COUNT                      { $$ = SEL_COUNT; }
    | LATEST                     { $$ = SEL_LATEST; }
    | FIRST                      { $$ = SEL_FIRST; }
    ;

opt_exprs
    : %empty                     { memset(&$$, 0, sizeof $$); }
    | exprs                      { $$ = $1; }
    ;

exprs
    : expr                       { memset(&$$, 0, sizeof $$); AST_PUSH(A, $$, $1); }
    | exprs ',' expr             { $$ = $1; AST_PUSH(A, $$, $3); }
    ;

%%

/* Token names for messages: bison gives "'rule'" for keywords; print as is.
 * The tokens it names in words (see %token) are words of msg.def. */
static const char *token_name(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_YYEOF: return diag_word(D_END_OF_FILE);
    case YYSYMBOL_IDENT: return diag_word(D_TOKEN_NAME);
    case YYSYMBOL_STRING: return diag_word(D_TOKEN_STRING);
    case YYSYMBOL_INT: return diag_word(D_TOKEN_INTEGER);
    case YYSYMBOL_DURATION: return diag_word(D_TOKEN_DURATION);
    case YYSYMBOL_CLOCK: return diag_word(D_TOKEN_CLOCK);
    case YYSYMBOL_TIME: return diag_word(D_TOKEN_TIME);
    default: return yysymbol_name(k);
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, LexState *ls)
{
    (void)scanner;
    if (ls->stopped) return 0;
    ls->syntax_errors++;
    const ZZLTYPE *at = yypcontext_location(ctx);
    if (ls->lex_error_off && at->first_off + 1 == ls->lex_error_off) return 0; /* the lexical error said it */
    enum { MAX_EXPECTED = 8 };
    yysymbol_kind_t expected[MAX_EXPECTED];
    int n = yypcontext_expected_tokens(ctx, expected, MAX_EXPECTED);
    const ZZLTYPE *loc = yypcontext_location(ctx);
    const char *t[MAX_EXPECTED - 1] = {0};
    if (n >= MAX_EXPECTED) n = 0; /* too many to list */
    for (int i = 0; i < n; i++) t[i] = token_name(expected[i]);
    /* D_EXPECTED_1 .. D_EXPECTED_7 follow one another in msg.def; a format ignores the names it has no place for */
    diag_report(ls->diag, DIAG_E0100, lex_loc(ls, loc), n > 0 ? (MsgId)(D_EXPECTED_1 + n - 1) : D_UNEXPECTED,
                token_name(yypcontext_token(ctx)), t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
    return 0;
}

static void zzerror(ZZLTYPE *loc, void *scanner, LexState *ls, const char *msg)
{
    (void)scanner;
    if (ls->stopped) return;
    /* only "memory exhausted" reaches here: the parser stack hit YYMAXDEPTH */
    if (strstr(msg, "exhausted"))
        diag_report(ls->diag, DIAG_E0101, lex_loc(ls, loc), D_NESTING_TOO_DEEP_FOR_PARSER);
    else
        diag_report(ls->diag, DIAG_E0100, lex_loc(ls, loc), D_TEXT, msg);
}
