//! Small syntax trees built directly, for the items [`super::prebuilt`] fills in: parts that
//! differ per type and are too many to parse back (a `Debug` impl's field chain, an enum's
//! `match` arms). Each is what syn would parse from the same tokens.

use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// A string literal expression, `"text"`.
pub fn str_lit(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, Span::call_site())),
    })
}

/// A literal token (a raw string, a suffixed number) as an expression.
pub fn literal_expr(literal: proc_macro2::Literal) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(literal),
    })
}

/// A path of plain segments, `Self::Variant`.
pub fn path(segments: &[&Ident]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|segment| syn::PathSegment::from((*segment).clone()))
            .collect(),
    }
}

/// A path expression, `Self::Variant`.
pub fn path_expr(segments: &[&Ident]) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// `receiver.method(args…)`.
pub fn method_call(receiver: Expr, method: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: <Token![.]>::default(),
        method: super::ident(method),
        turbofish: None,
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect::<Punctuated<Expr, Token![,]>>(),
    })
}

/// `function(args…)`.
pub fn call(function: Expr, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `&self.field`.
pub fn self_field_ref(field: &Ident) -> Expr {
    reference(field_expr(path_expr(&[&super::ident("self")]), field))
}

/// `base.field`.
pub fn field_expr(base: Expr, field: &Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: <Token![.]>::default(),
        member: syn::Member::Named(field.clone()),
    })
}

/// A `match` arm `pat => body,`.
pub fn arm(pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: <Token![=>]>::default(),
        body: Box::new(body),
        comma: Some(<Token![,]>::default()),
    }
}

/// A pattern that is a path, `Self::Variant`.
pub fn path_pat(segments: &[&Ident]) -> syn::Pat {
    syn::Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// A pattern that is a string literal, `"text"`.
pub fn str_pat(text: &str) -> syn::Pat {
    syn::Pat::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, Span::call_site())),
    })
}

/// `let mut name = init;`.
pub fn let_mut(name: &Ident, init: Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: <Token![let]>::default(),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: Some(<Token![mut]>::default()),
            ident: name.clone(),
            subpat: None,
        }),
        init: Some(syn::LocalInit {
            eq_token: <Token![=]>::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: <Token![;]>::default(),
    })
}

/// A tuple-struct pattern, `Some("text")`.
pub fn tuple_struct_pat(segments: &[&Ident], elements: Vec<syn::Pat>) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
        paren_token: syn::token::Paren::default(),
        elems: elements.into_iter().collect(),
    })
}

/// A struct expression, `Self { a: value, b }`: a field without a value is shorthand for the
/// local of its name.
pub fn struct_expr(segments: &[&Ident], fields: Vec<(Ident, Option<Expr>)>) -> Expr {
    let fields = fields.into_iter().map(|(name, value)| {
        let shorthand = value.is_none();
        syn::FieldValue {
            attrs: Vec::new(),
            expr: value.unwrap_or_else(|| path_expr(&[&name])),
            member: syn::Member::Named(name),
            colon_token: (!shorthand).then(<Token![:]>::default),
        }
    });
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
        brace_token: syn::token::Brace::default(),
        fields: fields.collect(),
        dot2_token: None,
        rest: None,
    })
}

/// A path expression from the crate root of another crate, `::reqwest::Method::GET`.
pub fn global_path_expr(segments: &[&Ident]) -> Expr {
    let mut path = path(segments);
    path.leading_colon = Some(<Token![::]>::default());
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `[elements…]`.
pub fn array(elements: Vec<Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: syn::token::Bracket::default(),
        elems: elements.into_iter().collect(),
    })
}

/// `&expr`.
pub fn reference(expr: Expr) -> Expr {
    reference_of(expr, None)
}

/// `&mut expr`.
pub fn mut_reference(expr: Expr) -> Expr {
    reference_of(expr, Some(<Token![mut]>::default()))
}

fn reference_of(expr: Expr, mutability: Option<Token![mut]>) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: <Token![&]>::default(),
        mutability,
        expr: Box::new(expr),
    })
}

/// `expr?`.
pub fn try_expr(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: <Token![?]>::default(),
    })
}

/// `base.await`.
pub fn await_expr(base: Expr) -> Expr {
    Expr::Await(syn::ExprAwait {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: <Token![.]>::default(),
        await_token: <Token![await]>::default(),
    })
}

/// `async { statements… }`.
pub fn async_block(stmts: Vec<syn::Stmt>) -> Expr {
    Expr::Async(syn::ExprAsync {
        attrs: Vec::new(),
        async_token: <Token![async]>::default(),
        capture: None,
        block: syn::Block {
            brace_token: syn::token::Brace::default(),
            stmts,
        },
    })
}

/// `expr;`.
pub fn semi_stmt(expr: Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, Some(<Token![;]>::default()))
}

/// The tree of an expression made as tokens (a part too varied for a template); tokens that
/// do not parse stay tokens.
pub fn parsed_expr(tokens: TokenStream) -> Expr {
    syn::parse2(tokens.clone()).unwrap_or(Expr::Verbatim(tokens))
}

/// The tree of a type made as tokens; tokens that do not parse stay tokens.
pub fn parsed_type(tokens: TokenStream) -> syn::Type {
    syn::parse2(tokens.clone()).unwrap_or(syn::Type::Verbatim(tokens))
}

/// The tree of a statement made as tokens; tokens that do not parse stay tokens.
pub fn parsed_stmt(tokens: TokenStream) -> syn::Stmt {
    syn::parse2(tokens.clone()).unwrap_or(syn::Stmt::Expr(Expr::Verbatim(tokens), None))
}

/// An integer literal as written (`400u16`).
pub fn int_lit(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Int(syn::LitInt::new(text, Span::call_site())),
    })
}

/// A macro call with brackets whose arguments are `tokens`, `::std::vec![…]` (`global` for the
/// leading `::`). Its arguments stay tokens, as when syn parses a macro call.
pub fn bracket_macro(segments: &[&Ident], global: bool, tokens: TokenStream) -> Expr {
    let mut path = path(segments);
    if global {
        path.leading_colon = Some(<Token![::]>::default());
    }
    Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path,
            bang_token: <Token![!]>::default(),
            delimiter: syn::MacroDelimiter::Bracket(syn::token::Bracket::default()),
            tokens,
        },
    })
}

/// An outer attribute `#[name(tokens)]` (its arguments stay tokens, as syn parses them).
pub fn list_attr(name: &str, tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: <Token![#]>::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Path::from(super::ident(name)),
            delimiter: syn::MacroDelimiter::Paren(syn::token::Paren::default()),
            tokens,
        }),
    }
}

/// A doc line as an attribute, `#[doc = " text"]`.
pub fn doc_attr(line: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: <Token![#]>::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Path::from(super::ident("doc")),
            eq_token: <Token![=]>::default(),
            value: str_lit(line),
        }),
    }
}
