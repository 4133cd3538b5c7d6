//! [`call_type!`](crate::call_type): the methods every generated
//! per-operation call type shares, written once here instead of in each.

/// Gives a generated per-operation call type the methods every call type
/// shares: [`send`](crate::Call::send), `timeout`, `max_retries`, `header`,
/// [`idempotency_key`](crate::Call::idempotency_key), `into_call`, `From` the runtime's call (how the operation's method makes
/// it) and `IntoFuture` (so the call can be `.await`ed for its `result`);
/// with the `blocking` feature also `wait` and `send_blocking`.
///
/// The type must be a newtype around the runtime's call,
/// `struct Name(apigen_runtime::Call<R>)`; its setters apply each
/// parameter to the call at once (setting one again replaces it). `R` is
/// given after `=>`.
///
/// ```
/// use apigen_runtime::{Call, Client};
///
/// pub struct ThingsGetCall(Call<String>);
///
/// impl ThingsGetCall {
///     pub fn verbose(self, value: bool) -> Self {
///         Self(self.0.query_param("verbose", &value))
///     }
/// }
///
/// apigen_runtime::call_type!(ThingsGetCall => String);
///
/// let client = Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
/// let call: ThingsGetCall = client.get("/things").into();
/// let _future = call.verbose(true).max_retries(0).into_future();
/// # use std::future::IntoFuture as _;
/// ```
#[macro_export]
macro_rules! call_type {
    ($call:ty => $result:ty) => {
        impl $call {
            /// Sends the call: the whole response (status, headers, messages,
            /// `result_info`) with the decoded `result`.
            #[inline]
            pub async fn send(
                self,
            ) -> ::std::result::Result<$crate::ApiResponse<$result>, $crate::Error> {
                self.0.send().await
            }

            /// Gives up on the call after `timeout` (instead of the client's).
            #[inline]
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// Retries the call at most `max_retries` times (instead of the
            /// client's setting).
            #[inline]
            pub fn max_retries(self, max_retries: u32) -> Self {
                Self(self.0.max_retries(max_retries))
            }

            /// Adds a header to the request (replacing a client's default
            /// header of the same name).
            #[inline]
            pub fn header(self, name: &str, value: impl ::std::fmt::Display) -> Self {
                Self(self.0.header(name, value))
            }

            /// Sends `key` as the call's idempotency key, the same on every
            /// attempt; a call with a key is retried as an idempotent one
            /// is (see the runtime's `Call::idempotency_key`).
            #[inline]
            pub fn idempotency_key(self, key: impl ::std::fmt::Display) -> Self {
                Self(self.0.idempotency_key(key))
            }

            /// The runtime call, with every parameter set so far.
            #[inline]
            pub fn into_call(self) -> $crate::Call<$result> {
                self.0
            }
        }

        impl ::std::convert::From<$crate::Call<$result>> for $call {
            #[inline]
            fn from(call: $crate::Call<$result>) -> Self {
                Self(call)
            }
        }

        impl ::std::future::IntoFuture for $call {
            type Output = ::std::result::Result<$result, $crate::Error>;
            type IntoFuture = <$crate::Call<$result> as ::std::future::IntoFuture>::IntoFuture;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.0.into_future()
            }
        }

        $crate::__call_type_blocking!($call => $result);
    };
}

/// The blocking methods of a call type (`wait`, `send_blocking`), with the
/// runtime's `blocking` feature; nothing without it. The feature is read
/// here, in the runtime, so generated code holds no `#[cfg]` for it.
#[cfg(feature = "blocking")]
#[doc(hidden)]
#[macro_export]
macro_rules! __call_type_blocking {
    ($call:ty => $result:ty) => {
        impl $call {
            /// Sends the call and waits for its result: what `.await`
            /// gives, for a program without an async runtime (the
            /// `blocking` feature; see the runtime's `blocking` module).
            #[inline]
            pub fn wait(self) -> ::std::result::Result<$result, $crate::Error> {
                self.0.wait()
            }

            /// Sends the call and waits for the whole response: what
            /// `send().await` gives (the `blocking` feature).
            #[inline]
            pub fn send_blocking(
                self,
            ) -> ::std::result::Result<$crate::ApiResponse<$result>, $crate::Error> {
                self.0.send_blocking()
            }
        }
    };
}

/// Without the runtime's `blocking` feature, call types get no blocking
/// methods.
#[cfg(not(feature = "blocking"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __call_type_blocking {
    ($call:ty => $result:ty) => {};
}
