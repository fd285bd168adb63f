// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IPayouts
/// @notice How the royalty vault and the attribution epochs pay: a claim's transfer that fails (a reverting or
/// gas-hungry ETH receiver, a blocklisted or `false`-returning token recipient) never reverts the claim or anyone
/// else's in the same batch; the amount is credited inside the contract to the contribution's author, who withdraws it
/// to any wallet. Credits are per wallet and token, summed per token for the solvency views.
interface IPayouts {
    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Emitted, per contribution, when a payout's transfer failed and the amount was credited inside the
    /// contract to the author instead, who withdraws it to any wallet with {withdrawDeferred}. Follows the
    /// contribution's claim event.
    /// @param poolId The pool claimed from.
    /// @param contributionId The contribution claimed.
    /// @param account The author credited.
    /// @param token The token; the zero address means ETH.
    /// @param recipient The wallet whose transfer failed.
    /// @param amount The amount credited, in the token's smallest unit.
    event PayoutDeferred(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed account,
        address token,
        address recipient,
        uint256 amount
    );

    /// @notice Emitted when a wallet withdraws its deferred payouts of a token.
    /// @param token The token; the zero address means ETH.
    /// @param account The wallet whose credit is withdrawn.
    /// @param to The wallet paid.
    /// @param amount The amount, in the token's smallest unit.
    event DeferredWithdrawn(address indexed token, address indexed account, address to, uint256 amount);

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The gas an ETH payout forwards to its receiver; a receiver that needs more gets a deferred payout.
    function ETH_PAYOUT_GAS() external view returns (uint256);

    /// @notice Payouts of a token whose transfer failed and that wait for `account` to withdraw them.
    /// @param account The wallet.
    /// @param token The token; the zero address means ETH.
    function deferredOf(address account, address token) external view returns (uint256 amount);

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Withdraws the caller's deferred payouts of a token to `to`.
    /// @dev Emits {DeferredWithdrawn}. Forwards all gas; reverts if this transfer fails too.
    /// @param token The token; the zero address means ETH.
    /// @param to The wallet to pay.
    function withdrawDeferred(address token, address to) external;
}
